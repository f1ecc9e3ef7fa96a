//! The tools that building and testing need. Each is installed once per machine, outside the
//! clone, in a folder named by its version (`$KUBEPLAY_TOOLS`, default `~/.cache/kubeplay-tools`),
//! so every clone on the machine (a developer's, CI's) shares it; what is present is skipped.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{probe, run};

/// Versions of the tools, each written only here. wasm-bindgen's comes from Cargo.lock, since
/// the CLI must match the library exactly.
pub const TRUNK_VERSION: &str = "0.21.14";
/// npm's `binaryen@132` ships a `wasm-opt` that reports `version_132`.
pub const BINARYEN_VERSION: &str = "132";
pub const PLAYWRIGHT_CORE_VERSION: &str = "1.65.1";

/// Debian's packages `chromium` and `chromium-driver` install these.
pub const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub struct Tools {
    workspace: PathBuf,
    root: PathBuf,
    wasm_bindgen_version: String,
    /// PATH for child commands: the tool folders, then the inherited PATH.
    path: OsString,
}

impl Tools {
    pub fn new(workspace: &Path) -> Result<Tools, String> {
        let root = match std::env::var_os("KUBEPLAY_TOOLS") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => PathBuf::from(
                std::env::var_os("HOME")
                    .ok_or("HOME is not set: set KUBEPLAY_TOOLS to a folder for tools")?,
            )
            .join(".cache/kubeplay-tools"),
        };
        let lock_path = workspace.join("Cargo.lock");
        let lock = std::fs::read_to_string(&lock_path)
            .map_err(|err| format!("cannot read {}: {err}", lock_path.display()))?;
        let wasm_bindgen_version = locked_version(&lock, "wasm-bindgen").ok_or_else(|| {
            format!(
                "{} has no wasm-bindgen package: run `cargo generate-lockfile`",
                lock_path.display()
            )
        })?;
        let mut tools = Tools {
            workspace: workspace.to_owned(),
            root,
            wasm_bindgen_version,
            path: OsString::new(),
        };
        let mut path = vec![
            tools.trunk_root().join("bin"),
            tools.wasm_bindgen_root().join("bin"),
            tools.binaryen_root().join("node_modules/.bin"),
        ];
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        tools.path = std::env::join_paths(path).map_err(|err| {
            format!(
                "cannot put {} on PATH ({err}): set KUBEPLAY_TOOLS to a folder without ':'",
                tools.root.display()
            )
        })?;
        Ok(tools)
    }

    fn trunk_root(&self) -> PathBuf {
        self.root.join(format!("trunk-{TRUNK_VERSION}"))
    }

    fn wasm_bindgen_root(&self) -> PathBuf {
        self.root
            .join(format!("wasm-bindgen-{}", self.wasm_bindgen_version))
    }

    fn binaryen_root(&self) -> PathBuf {
        self.root.join(format!("binaryen-{BINARYEN_VERSION}"))
    }

    fn playwright_root(&self) -> PathBuf {
        self.root
            .join(format!("playwright-core-{PLAYWRIGHT_CORE_VERSION}"))
    }

    /// What `trunk` needs: the wasm target, trunk, wasm-bindgen, and wasm-opt for release builds.
    pub fn ensure_build_tools(&self, release: bool) -> Result<(), String> {
        println!("xtask: tools live in {}", self.root.display());
        ensure_wasm_target()?;
        self.ensure_cargo_install("trunk", TRUNK_VERSION, &self.trunk_root(), "trunk", true)?;
        // Without --locked: one of its locked dependencies is missing from the registry mirror.
        self.ensure_cargo_install(
            "wasm-bindgen-cli",
            &self.wasm_bindgen_version,
            &self.wasm_bindgen_root(),
            "wasm-bindgen",
            false,
        )?;
        if release {
            self.ensure_npm_install(
                &format!("binaryen@{BINARYEN_VERSION}"),
                &self.binaryen_root(),
                Path::new("node_modules/.bin/wasm-opt"),
            )?;
        }
        Ok(())
    }

    /// What the browser tests need: Chromium and its driver, and playwright-core.
    pub fn ensure_browser_tools(&self) -> Result<(), String> {
        ensure_chromium()?;
        self.ensure_npm_install(
            &format!("playwright-core@{PLAYWRIGHT_CORE_VERSION}"),
            &self.playwright_root(),
            Path::new("node_modules/playwright-core/package.json"),
        )
    }

    /// A command run in the workspace with the tools on PATH and the browser test settings.
    pub fn command(&self, program: impl Into<OsString>) -> Command {
        let mut command = Command::new(program.into());
        command
            .current_dir(&self.workspace)
            .env("PATH", &self.path)
            // trunk checks the tools on PATH against these versions instead of downloading its own.
            .env("TRUNK_TOOLS_WASM_BINDGEN", &self.wasm_bindgen_version)
            .env(
                "TRUNK_TOOLS_WASM_OPT",
                format!("version_{BINARYEN_VERSION}"),
            )
            // playwright-core is found through NODE_PATH so the clone needs no node_modules.
            .env("NODE_PATH", self.playwright_root().join("node_modules"))
            .env("KUBEPLAY_CHROMIUM", CHROMIUM)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            );
        command
    }

    /// `cargo`, the one that runs xtask.
    pub fn cargo(&self) -> Command {
        self.command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    fn ensure_cargo_install(
        &self,
        krate: &str,
        version: &str,
        root: &Path,
        bin: &str,
        locked: bool,
    ) -> Result<(), String> {
        // cargo writes the binary last, so its presence means a finished install.
        if root.join("bin").join(bin).is_file() {
            println!("xtask: {krate} {version} present in {}", root.display());
            return Ok(());
        }
        println!(
            "xtask: installing {krate} {version} into {} (once per machine; compiling takes minutes)",
            root.display()
        );
        let mut install = self.cargo();
        install.args(["install", krate, "--version", version, "--root"]);
        install.arg(root);
        if locked {
            install.arg("--locked");
        }
        run(&mut install).map_err(|err| {
            format!("{err}\ninstalling {krate} {version} failed; fix the error above and run again")
        })
    }

    fn ensure_npm_install(&self, spec: &str, root: &Path, marker: &Path) -> Result<(), String> {
        if root.join(marker).is_file() {
            println!("xtask: {spec} present in {}", root.display());
            return Ok(());
        }
        if probe("npm", &["--version"]).is_none() {
            return Err(format!(
                "npm is not installed: install Node.js 20 with npm, then run again (needed for {spec})"
            ));
        }
        println!("xtask: installing {spec} into {}", root.display());
        std::fs::create_dir_all(root)
            .map_err(|err| format!("cannot create {}: {err}", root.display()))?;
        let mut install = Command::new("npm");
        install
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(root)
            .arg(spec);
        run(&mut install)
    }
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = probe("rustup", &["target", "list", "--installed"]).ok_or(
        "rustup is not available: install Rust with rustup (https://rustup.rs), then run again",
    )?;
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("xtask: rust target {WASM_TARGET} present");
        return Ok(());
    }
    println!("xtask: adding rust target {WASM_TARGET}");
    run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file() {
        println!("xtask: chromium and chromedriver present in /usr/bin");
        return Ok(());
    }
    println!("xtask: installing Debian's chromium and chromium-driver with apt-get");
    let as_root = probe("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let apt_get = |args: &[&str]| {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(&mut apt_get(&["update"]))
        .and_then(|()| run(&mut apt_get(&["install", "-y", "chromium", "chromium-driver"])))
        .map_err(|err| {
            format!("{err}\ninstall them by hand (`sudo apt-get install chromium chromium-driver`), then run again")
        })
}

/// The version of `package` in a Cargo.lock; the first one listed if there are several.
fn locked_version(lock: &str, package: &str) -> Option<String> {
    lock.split("[[package]]").find_map(|entry| {
        let field = |key: &str| {
            entry.lines().find_map(|line| {
                line.strip_prefix(key)?
                    .trim_start()
                    .strip_prefix('=')
                    .map(|value| value.trim().trim_matches('"'))
            })
        };
        (field("name") == Some(package)).then(|| field("version").map(str::to_owned))?
    })
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    const LOCK: &str = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.99"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;

    #[test]
    fn reads_the_exact_package_version() {
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            locked_version(LOCK, "wasm-bindgen-macro").as_deref(),
            Some("0.2.99")
        );
        assert_eq!(locked_version(LOCK, "yew"), None);
    }
}
