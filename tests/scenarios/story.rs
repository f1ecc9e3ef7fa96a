//! A story: a state file and the `kubeplay` binary run against it, command by command.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use kubeplay_core::shell::split_words;
use serde_json::Value;

pub struct Story {
    _dir: TempDir,
    state: PathBuf,
}

/// What one command printed.
#[derive(Debug)]
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Ran {
    #[track_caller]
    pub fn ok(self) -> Ran {
        assert_eq!(
            self.code, 0,
            "the command failed:\n{}{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// A directory removed when the story ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn kubeplay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
}

impl Story {
    /// A default cluster: `control-plane` and `node-1`…`node-3`; `init_args` adds to `kubeplay init`.
    pub fn new(name: &str, init_args: &[&str]) -> Story {
        let dir =
            std::env::temp_dir().join(format!("kubeplay-story-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the story's folder");
        let state = dir.join("cluster.json");
        let status = kubeplay()
            .arg("init")
            .arg("--state")
            .arg(&state)
            .args(init_args)
            .status()
            .expect("run kubeplay init");
        assert!(status.success(), "kubeplay init failed");
        Story {
            _dir: TempDir(dir),
            state,
        }
    }

    pub fn state_file(&self) -> String {
        std::fs::read_to_string(&self.state).expect("read the state file")
    }

    /// Runs `kubectl ...` or `sim ...` with `stdin`.
    pub fn run_with(&self, line: &str, stdin: &str) -> Ran {
        let words = split_words(line).expect("a well-formed command line");
        let mut child = kubeplay()
            .arg("--state")
            .arg(&self.state)
            .args(&words)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run kubeplay");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let output = child.wait_with_output().expect("wait for kubeplay");
        Ran {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code().unwrap_or(-1),
        }
    }

    pub fn run(&self, line: &str) -> Ran {
        self.run_with(line, "")
    }

    /// Runs a command that must succeed and returns its stdout.
    #[track_caller]
    pub fn ok(&self, line: &str) -> String {
        self.run(line).ok().stdout
    }

    #[track_caller]
    pub fn apply(&self, manifest: &str) -> String {
        self.run_with("kubectl apply -f -", manifest).ok().stdout
    }

    /// `kubectl get ... -o json`, parsed.
    #[track_caller]
    pub fn json(&self, line: &str) -> Value {
        let stdout = self.ok(&format!("{line} -o json"));
        serde_json::from_str(&stdout)
            .unwrap_or_else(|error| panic!("{line} did not print JSON: {error}\n{stdout}"))
    }

    pub fn advance(&self, duration: &str) {
        self.ok(&format!("sim advance {duration}"));
    }
}

/// The string at a JSON pointer, or "" when absent.
pub fn text(value: &Value, pointer: &str) -> String {
    match value.pointer(pointer) {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The items of a List.
pub fn items(list: &Value) -> Vec<Value> {
    list.get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The status of a condition of an object.
pub fn condition(object: &Value, type_: &str) -> Option<Value> {
    object
        .pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|condition| condition.get("type").and_then(Value::as_str) == Some(type_))
        .cloned()
}
