//! Share links through the CLI: `kubeplay init --from-url` rebuilds the cluster a link holds, byte
//! for byte, and refuses a corrupt link without writing anything.

use std::process::Command;

use kubeplay_core::Cluster;
use kubeplay_core::share::Recording;

fn kubeplay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
}

#[test]
fn a_share_link_opens_as_the_same_cluster() {
    let mut recording = Recording::default_cluster();
    let mut cluster = Cluster::default_cluster();
    for (after, line) in [
        (0, "kubectl create job pi --image=perl -- sleep 20"),
        (3_250, "sim node add node-4 --taint dedicated=db:NoSchedule"),
        (61_000, "kubectl label node node-1 disktype=ssd"),
    ] {
        cluster.advance(after);
        recording.record(cluster.now(), line, "");
        cluster.exec(line, "");
    }
    cluster.advance(45_000);
    recording.reached(cluster.now());
    let url = format!("http://127.0.0.1:8080/?view=grid#{}", recording.encode());

    let dir = std::env::temp_dir().join(format!("kubeplay-share-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let state = dir.join("cluster.json");
    let output = kubeplay()
        .args(["init", "--state"])
        .arg(&state)
        .args(["--from-url", &url])
        .output()
        .expect("run kubeplay init --from-url");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&state).expect("the state is written"),
        cluster.save_state()
    );

    let damaged = dir.join("damaged.json");
    let output = kubeplay()
        .args(["init", "--state"])
        .arg(&damaged)
        .args(["--from-url", &url[..url.len() - 10]])
        .output()
        .expect("run kubeplay init --from-url");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("kubeplay: --from-url: the link is damaged"),
        "{stderr}"
    );
    assert!(!damaged.exists(), "nothing is written for a bad link");
    let _ = std::fs::remove_dir_all(dir);
}
