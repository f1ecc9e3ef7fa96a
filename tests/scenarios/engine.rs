//! The cluster engine's stories: scheduling, failed scheduling, taints, failed nodes, cordon and
//! drain, cascading deletion, strict validation and determinism.

use crate::story::{Story, condition, items, text};

const WEB: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
";

fn pinned_pod(name: &str, node: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  nodeSelector:
    kubernetes.io/hostname: {node}
  containers:
  - name: main
    image: busybox:1.36
    command: [\"sleep\", \"3600\"]
"
    )
}

#[test]
fn a_pod_is_scheduled_to_a_worker_and_runs() {
    let story = Story::new("scheduled", &[]);
    assert_eq!(story.apply(WEB), "pod/web created\n");
    let pod = story.json("kubectl get pod web");
    let node = text(&pod, "/spec/nodeName");
    assert!(
        ["node-1", "node-2", "node-3"].contains(&node.as_str()),
        "scheduled to {node}"
    );
    assert_eq!(text(&pod, "/status/phase"), "Pending");
    assert_eq!(
        text(&pod, "/status/containerStatuses/0/state/waiting/reason"),
        "ContainerCreating"
    );
    story.advance("2s");
    let pod = story.json("kubectl get pod web");
    assert_eq!(text(&pod, "/status/phase"), "Running");
    assert_eq!(text(&condition(&pod, "Ready").unwrap(), "/status"), "True");
    assert!(text(&pod, "/status/podIP").starts_with("10.244."));
    let scheduled = story
        .ok("kubectl get events --field-selector reason=Scheduled -o jsonpath={.items[0].message}");
    assert_eq!(
        scheduled,
        format!("Successfully assigned default/web to {node}")
    );
    assert_eq!(story.apply(WEB), "pod/web unchanged\n");
}

#[test]
fn an_unschedulable_pod_stays_pending_with_the_schedulers_reason() {
    let story = Story::new("pending", &[]);
    story.apply(
        "apiVersion: v1
kind: Pod
metadata:
  name: fast-disk
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: main
    image: busybox:1.36
",
    );
    story.advance("10s");
    let pod = story.json("kubectl get pod fast-disk");
    assert_eq!(text(&pod, "/status/phase"), "Pending");
    let scheduled = condition(&pod, "PodScheduled").unwrap();
    let expected = "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
    assert_eq!(text(&scheduled, "/reason"), "Unschedulable");
    assert_eq!(text(&scheduled, "/message"), expected);
    let events = story.json("kubectl get events --field-selector reason=FailedScheduling");
    assert_eq!(text(&items(&events)[0], "/message"), expected);
    assert_eq!(text(&items(&events)[0], "/type"), "Warning");
    // Labelling a node is a cluster change: the scheduler tries again and binds the pod there.
    assert_eq!(
        story.ok("kubectl label nodes node-2 disktype=ssd"),
        "node/node-2 labeled\n"
    );
    assert_eq!(
        text(&story.json("kubectl get pod fast-disk"), "/spec/nodeName"),
        "node-2"
    );
}

#[test]
fn insufficient_resources_are_counted_per_node() {
    let story = Story::new("resources", &[]);
    story.apply(
        "apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: main
    image: busybox:1.36
    resources:
      requests:
        cpu: 8
",
    );
    let pod = story.json("kubectl get pod huge");
    assert_eq!(
        text(&condition(&pod, "PodScheduled").unwrap(), "/message"),
        "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."
    );
}

#[test]
fn a_no_execute_taint_evicts_pods_that_do_not_tolerate_it() {
    let story = Story::new("noexecute", &[]);
    story.apply(&pinned_pod("victim", "node-1"));
    story.advance("5s");
    assert_eq!(
        story.ok("kubectl taint nodes node-1 maintenance=true:NoExecute"),
        "node/node-1 tainted\n"
    );
    let pod = story.json("kubectl get pod victim");
    assert!(
        !text(&pod, "/metadata/deletionTimestamp").is_empty(),
        "the pod is Terminating"
    );
    assert_eq!(
        text(&condition(&pod, "DisruptionTarget").unwrap(), "/reason"),
        "DeletionByTaintManager"
    );
    story.advance("2s");
    let gone = story.run("kubectl get pod victim");
    assert_eq!(
        gone.stderr,
        "Error from server (NotFound): pods \"victim\" not found\n"
    );
    assert_eq!(gone.code, 1);
    // The docs' way of removing it names the value too; kubectl matches on key and effect only.
    assert_eq!(
        story.ok("kubectl taint nodes node-1 maintenance=true:NoExecute-"),
        "node/node-1 untainted\n"
    );
    let missing = story.run("kubectl taint nodes node-1 maintenance=other:NoExecute-");
    assert_eq!(
        missing.stderr,
        "error: taint \"maintenance:NoExecute\" not found\n"
    );
}

#[test]
fn a_failed_nodes_pods_are_evicted_after_300_seconds_and_collected_when_it_is_removed() {
    let story = Story::new("failed-node", &[]);
    story.apply(&pinned_pod("stranded", "node-3"));
    story.advance("5s");
    story.ok("sim node fail node-3");
    story.advance("49s");
    let ready = |story: &Story| {
        text(
            &condition(&story.json("kubectl get node node-3"), "Ready").unwrap(),
            "/status",
        )
    };
    assert_eq!(ready(&story), "True", "the grace period has not passed");
    story.advance("1s");
    assert_eq!(ready(&story), "Unknown");
    let node = story.json("kubectl get node node-3");
    let taints: Vec<String> = node["spec"]["taints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|taint| format!("{}:{}", text(taint, "/key"), text(taint, "/effect")))
        .collect();
    assert!(
        taints.contains(&"node.kubernetes.io/unreachable:NoSchedule".to_string()),
        "{taints:?}"
    );
    assert!(
        taints.contains(&"node.kubernetes.io/unreachable:NoExecute".to_string()),
        "{taints:?}"
    );
    assert_eq!(
        text(
            &condition(&story.json("kubectl get pod stranded"), "Ready").unwrap(),
            "/status"
        ),
        "False"
    );
    story.advance("299s");
    assert!(
        text(
            &story.json("kubectl get pod stranded"),
            "/metadata/deletionTimestamp"
        )
        .is_empty()
    );
    story.advance("1s");
    assert!(
        !text(
            &story.json("kubectl get pod stranded"),
            "/metadata/deletionTimestamp"
        )
        .is_empty(),
        "evicted after the 300 s toleration"
    );
    story.advance("10m");
    assert!(
        story.run("kubectl get pod stranded").code == 0,
        "a pod on an unreachable node stays Terminating"
    );
    story.ok("sim node remove node-3");
    story.advance("40s");
    assert_eq!(
        story.run("kubectl get pod stranded").code,
        1,
        "PodGC removes it once the node is gone"
    );
}

#[test]
fn a_recovered_node_loses_its_unreachable_taints() {
    let story = Story::new("recovered", &[]);
    story.ok("sim node fail node-2");
    story.advance("1m");
    story.ok("sim node recover node-2");
    let node = story.json("kubectl get node node-2");
    assert_eq!(text(&condition(&node, "Ready").unwrap(), "/status"), "True");
    assert!(node["spec"].get("taints").is_none(), "{node}");
}

#[test]
fn cordon_and_drain() {
    let story = Story::new("drain", &[]);
    story.apply(&pinned_pod("bare", "node-1"));
    story.advance("5s");
    assert_eq!(story.ok("kubectl cordon node-1"), "node/node-1 cordoned\n");
    assert_eq!(
        story.ok("kubectl cordon node-1"),
        "node/node-1 already cordoned\n"
    );
    let node = story.json("kubectl get node node-1");
    assert_eq!(text(&node, "/spec/unschedulable"), "true");
    assert_eq!(
        text(&node, "/spec/taints/0/key"),
        "node.kubernetes.io/unschedulable"
    );
    // A new pod that asks for node-1 now waits.
    story.apply(&pinned_pod("late", "node-1"));
    let late = story.json("kubectl get pod late");
    assert!(
        text(&condition(&late, "PodScheduled").unwrap(), "/message")
            .contains("1 node(s) were unschedulable")
    );
    let refused = story.run("kubectl drain node-1");
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.starts_with("error: unable to drain node \"node-1\" due to error: cannot delete Pods that declare no controller (use --force to override): default/bare, continuing command..."), "{}", refused.stderr);
    let drained = story.run("kubectl drain node-1 --force").ok();
    assert_eq!(
        drained.stdout,
        "node/node-1 already cordoned\nevicting pod default/bare\npod/bare evicted\nnode/node-1 drained\n"
    );
    assert_eq!(
        drained.stderr,
        "Warning: deleting Pods that declare no controller: default/bare\n"
    );
    assert_eq!(story.run("kubectl get pod bare").code, 1);
    assert_eq!(
        story.ok("kubectl uncordon node-1"),
        "node/node-1 uncordoned\n"
    );
    assert_eq!(
        text(&story.json("kubectl get pod late"), "/spec/nodeName"),
        "node-1"
    );
}

fn owned_pod(name: &str, owner: &str, uid: &str) -> String {
    format!(
        "apiVersion: v1
kind: Pod
metadata:
  name: {name}
  ownerReferences:
  - apiVersion: v1
    kind: Pod
    name: {owner}
    uid: {uid}
    blockOwnerDeletion: true
spec:
  containers:
  - name: main
    image: busybox:1.36
"
    )
}

#[test]
fn cascading_deletion_background_foreground_and_orphan() {
    let story = Story::new("cascade", &[]);
    for (owner, mode) in [("bg", "background"), ("fg", "foreground"), ("or", "orphan")] {
        story.apply(&pinned_pod(owner, "node-1"));
        let uid = story.ok(&format!(
            "kubectl get pod {owner} -o jsonpath={{.metadata.uid}}"
        ));
        story.apply(&owned_pod(&format!("{owner}-child"), owner, &uid));
        story.advance("5s");
        let deleted = story.ok(&format!("kubectl delete pod {owner} --cascade={mode}"));
        assert_eq!(
            deleted,
            format!("pod \"{owner}\" deleted from default namespace\n")
        );
        assert_eq!(
            story.run(&format!("kubectl get pod {owner}")).code,
            1,
            "kubectl delete waits until the owner is gone"
        );
        let child = story.run(&format!("kubectl get pod {owner}-child -o json"));
        match mode {
            "orphan" => {
                let child: serde_json::Value = serde_json::from_str(&child.stdout).unwrap();
                assert!(
                    child["metadata"].get("ownerReferences").is_none(),
                    "the orphan keeps running without its owner"
                );
            }
            "foreground" => assert_eq!(child.code, 1, "the dependent went first"),
            _ => {
                story.advance("5s");
                assert_eq!(
                    story.run(&format!("kubectl get pod {owner}-child")).code,
                    1,
                    "the garbage collector removed the dependent"
                );
            }
        }
    }
}

#[test]
fn strict_validation_rejects_typos_and_invalid_objects_and_changes_nothing() {
    let story = Story::new("strict", &[]);
    let before = story.state_file();
    let typo = story.run_with(
        "kubectl apply -f -",
        &WEB.replace("image: nginx", "imagee: nginx"),
    );
    assert_eq!(typo.code, 1);
    assert_eq!(
        typo.stderr,
        "Error from server (BadRequest): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers[0].imagee\"\n"
    );
    let invalid = story.run_with(
        "kubectl apply -f -",
        &WEB.replace("name: web\n  labels", "name: Web\n  labels"),
    );
    assert_eq!(invalid.code, 1);
    assert!(invalid.stderr.starts_with("The Pod \"Web\" is invalid: metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain"), "{}", invalid.stderr);
    let no_image = story.run_with(
        "kubectl create -f -",
        &WEB.replace("    image: nginx:1.27\n", ""),
    );
    assert_eq!(
        no_image.stderr,
        "The Pod \"web\" is invalid: spec.containers[0].image: Required value\n"
    );
    let unknown = story.run_with(
        "kubectl apply -f -",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n",
    );
    assert!(
        unknown
            .stderr
            .contains("no matches for kind \"Deployment\" in version \"apps/v1\""),
        "{}",
        unknown.stderr
    );
    let broken = story.run_with(
        "kubectl apply -f -",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n",
    );
    assert!(
        broken
            .stderr
            .starts_with("error: error parsing STDIN: error converting YAML to JSON: yaml: line "),
        "{}",
        broken.stderr
    );
    assert_eq!(
        story.state_file(),
        before,
        "a rejected request changes nothing"
    );
}

#[test]
fn the_same_commands_give_the_same_cluster_byte_for_byte() {
    let run = |name: &str| {
        let story = Story::new(name, &["--seed", "7"]);
        story.apply(WEB);
        story.apply(&pinned_pod("other", "node-2"));
        story.ok("sim node add node-4 --label disktype=ssd");
        story.advance("90s");
        story.ok("kubectl delete pod other");
        story.state_file()
    };
    let first = run("determinism-a");
    assert_eq!(first, run("determinism-b"));
    let story = Story::new("determinism-c", &["--seed", "8"]);
    story.apply(WEB);
    assert_ne!(
        story.state_file(),
        first,
        "another seed, other names and uids"
    );
}

#[test]
fn deleting_a_namespace_deletes_what_is_in_it() {
    let story = Story::new("namespace", &[]);
    assert_eq!(
        story.ok("kubectl create namespace team-a"),
        "namespace/team-a created\n"
    );
    story.run_with("kubectl apply -n team-a -f -", WEB).ok();
    story.advance("5s");
    assert_eq!(
        story.ok("kubectl delete namespace team-a"),
        "namespace \"team-a\" deleted\n"
    );
    assert_eq!(story.run("kubectl get namespace team-a").code, 1);
    assert_eq!(story.run("kubectl get pod web -n team-a").code, 1);
    let refused = story.run("kubectl delete namespace default");
    assert_eq!(
        refused.stderr,
        "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n"
    );
}
