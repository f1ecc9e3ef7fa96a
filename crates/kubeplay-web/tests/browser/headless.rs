//! A Rust test driving a headless playground, as another crate's wasm-bindgen-test would: the
//! same engine and API a host page's script gets, asserting on `kubectl get -o json`.

use kubeplay_web::embed::api::create_headless;
use serde_json::Value;
use wasm_bindgen_test::wasm_bindgen_test;

const AGENT: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox
        command: [sleep, infinity]
";

fn output(json: &str) -> Value {
    serde_json::from_str(json).expect("exec answers JSON")
}

#[wasm_bindgen_test]
fn a_headless_playground_runs_a_daemon_set_on_every_worker() {
    let mut playground =
        create_headless(r#"{"nodes": 2, "playing": false}"#).expect("a headless playground");
    let applied = output(
        &playground
            .exec("kubectl apply -f -", Some(AGENT.into()))
            .unwrap(),
    );
    assert_eq!(applied["stdout"], "daemonset.apps/agent created\n");
    assert_eq!(applied["exitCode"], 0);
    playground.advance("30s").unwrap();
    let pods = output(&playground.exec("kubectl get pods -o json", None).unwrap());
    let list: Value = serde_json::from_str(pods["stdout"].as_str().unwrap()).unwrap();
    let mut placed: Vec<(String, String)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pod| {
            (
                pod["spec"]["nodeName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                pod["status"]["phase"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    placed.sort();
    assert_eq!(
        placed,
        [
            ("node-1".to_string(), "Running".to_string()),
            ("node-2".to_string(), "Running".to_string())
        ]
    );
    // Bad input is an error value, never a panic.
    assert!(playground.advance("forever").is_err());
    assert!(playground.set_speed(7).is_err());
    assert!(create_headless(r#"{"nodes": "many"}"#).is_err());
    playground.destroy();
    assert!(playground.exec("kubectl get pods", None).is_err());
}
