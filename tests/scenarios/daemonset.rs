//! The DaemonSet stories of the tutorials kubeplay teaches, told through kubectl and `sim`: a log
//! collector on every node, fluentd following a node label, httpd rolled out and undone, taints,
//! orphaning and adoption, validation, and the `get`/`describe`/`rollout` output.

use serde_json::Value;

use crate::story::{Story, items, text};

const LOG_COLLECTOR: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-collector
  namespace: kube-system
spec:
  selector:
    matchLabels:
      name: log-collector
  template:
    metadata:
      labels:
        name: log-collector
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: collector
        image: fluent/fluent-bit:3.0
";

const FLUENTD: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels:
      app: fluentd
  template:
    metadata:
      labels:
        app: fluentd
    spec:
      nodeSelector:
        disktype: ssd
      containers:
      - name: fluentd
        image: fluentd:v1.16
";

const HTTPD: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: httpd
spec:
  selector:
    matchLabels:
      app: httpd
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app: httpd
    spec:
      containers:
      - name: httpd
        image: httpd:2.4
";

/// The names of the nodes the DaemonSet's live pods are bound to, sorted.
fn pod_nodes(story: &Story, selector: &str, namespace: &str) -> Vec<String> {
    let pods = story.json(&format!("kubectl get pods -n {namespace} -l {selector}"));
    let mut nodes: Vec<String> = items(&pods)
        .iter()
        .filter(|pod| text(pod, "/metadata/deletionTimestamp").is_empty())
        .map(|pod| text(pod, "/spec/nodeName"))
        .collect();
    nodes.sort();
    nodes
}

fn ds_status(story: &Story, name: &str, namespace: &str, field: &str) -> i64 {
    let ds = story.json(&format!("kubectl get ds {name} -n {namespace}"));
    ds.pointer(&format!("/status/{field}"))
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn images(story: &Story, selector: &str) -> Vec<String> {
    let pods = story.json(&format!("kubectl get pods -l {selector}"));
    items(&pods)
        .iter()
        .map(|pod| text(pod, "/spec/containers/0/image"))
        .collect()
}

#[test]
fn a_log_collector_tolerating_the_control_plane_runs_on_every_node() {
    let story = Story::new("ds-log-collector", &[]);
    assert_eq!(
        story.apply(LOG_COLLECTOR),
        "daemonset.apps/log-collector created\n"
    );
    let all = ["control-plane", "node-1", "node-2", "node-3"];
    assert_eq!(pod_nodes(&story, "name=log-collector", "kube-system"), all);
    story.advance("5s");
    let ds = story.json("kubectl get ds log-collector -n kube-system");
    for field in [
        "desiredNumberScheduled",
        "currentNumberScheduled",
        "numberReady",
        "updatedNumberScheduled",
        "numberAvailable",
    ] {
        assert_eq!(
            ds.pointer(&format!("/status/{field}")),
            Some(&4.into()),
            "{field}"
        );
    }
    assert_eq!(text(&ds, "/status/numberMisscheduled"), "0");
    assert_eq!(text(&ds, "/status/observedGeneration"), "1");

    story.ok("sim node add node-4");
    story.advance("5s");
    assert_eq!(
        pod_nodes(&story, "name=log-collector", "kube-system"),
        ["control-plane", "node-1", "node-2", "node-3", "node-4"]
    );
    assert_eq!(
        ds_status(&story, "log-collector", "kube-system", "numberAvailable"),
        5
    );

    // The daemon controller does not watch node deletions: the removed node's pod stays counted
    // until PodGC collects it 40 s later, and that deletion makes the controller recount.
    story.ok("sim node remove node-4");
    assert_eq!(
        ds_status(
            &story,
            "log-collector",
            "kube-system",
            "desiredNumberScheduled"
        ),
        5
    );
    story.advance("45s");
    assert_eq!(pod_nodes(&story, "name=log-collector", "kube-system"), all);
    assert_eq!(
        story.ok("kubectl get ds log-collector -n kube-system -o jsonpath={.status.desiredNumberScheduled}/{.status.numberAvailable}"),
        "4/4"
    );
}

#[test]
fn fluentd_follows_the_disktype_label() {
    let story = Story::new("ds-fluentd", &[]);
    story.apply(FLUENTD);
    assert!(pod_nodes(&story, "app=fluentd", "default").is_empty());
    assert_eq!(
        ds_status(&story, "fluentd", "default", "desiredNumberScheduled"),
        0
    );

    assert_eq!(
        story.ok("kubectl label nodes node-1 disktype=ssd"),
        "node/node-1 labeled\n"
    );
    assert_eq!(pod_nodes(&story, "app=fluentd", "default"), ["node-1"]);
    story.advance("5s");
    assert_eq!(
        ds_status(&story, "fluentd", "default", "numberAvailable"),
        1
    );

    story.ok("kubectl label nodes node-1 disktype=hdd --overwrite");
    assert!(pod_nodes(&story, "app=fluentd", "default").is_empty());
    story.advance("5s");
    assert!(items(&story.json("kubectl get pods -l app=fluentd")).is_empty());
    assert_eq!(
        ds_status(&story, "fluentd", "default", "desiredNumberScheduled"),
        0
    );
}

/// After each `sim step`: how many nodes lack an available pod of httpd.
fn nodes_without_an_available_pod(story: &Story) -> usize {
    let pods = story.json("kubectl get pods -l app=httpd");
    let ready: Vec<String> = items(&pods)
        .iter()
        .filter(|pod| text(pod, "/metadata/deletionTimestamp").is_empty())
        .filter(|pod| {
            crate::story::condition(pod, "Ready")
                .is_some_and(|ready| text(&ready, "/status") == "True")
        })
        .map(|pod| text(pod, "/spec/nodeName"))
        .collect();
    ["node-1", "node-2", "node-3"]
        .iter()
        .filter(|node| !ready.iter().any(|name| name == *node))
        .count()
}

/// What `kubectl rollout history ds/httpd` prints for these revisions without change causes: the
/// name with a trailing space (its "operation" starts with a newline) and a closing blank line.
fn history_of_httpd(revisions: &[i64]) -> String {
    let rows: String = revisions
        .iter()
        .map(|revision| format!("{revision:<10}<none>\n"))
        .collect();
    format!("daemonset.apps/httpd \nREVISION  CHANGE-CAUSE\n{rows}\n")
}

#[test]
fn httpd_rolls_out_node_by_node_and_undo_restores_it() {
    let story = Story::new("ds-httpd", &[]);
    story.apply(HTTPD);
    assert_eq!(
        story.ok("kubectl rollout status ds/httpd"),
        "Waiting for daemon set \"httpd\" rollout to finish: 0 of 3 updated pods are available...\n\
         daemon set \"httpd\" successfully rolled out\n"
    );
    assert_eq!(
        story.ok("kubectl set image ds/httpd httpd=httpd:2.4.62"),
        "daemonset.apps/httpd image updated\n"
    );
    let mut updated = Vec::new();
    for _ in 0..60 {
        assert!(
            nodes_without_an_available_pod(&story) <= 1,
            "maxUnavailable 1 holds"
        );
        let count = ds_status(&story, "httpd", "default", "updatedNumberScheduled");
        if updated.last() != Some(&count) {
            updated.push(count);
        }
        if count == 3 && ds_status(&story, "httpd", "default", "numberAvailable") == 3 {
            break;
        }
        story.ok("sim step");
    }
    assert_eq!(updated, [0, 1, 2, 3], "one node at a time");
    assert_eq!(images(&story, "app=httpd"), ["httpd:2.4.62"; 3]);
    assert_eq!(
        story.ok("kubectl rollout status daemonset/httpd"),
        "daemon set \"httpd\" successfully rolled out\n"
    );
    assert_eq!(
        story.ok("kubectl rollout history ds/httpd"),
        history_of_httpd(&[1, 2])
    );
    let first = story.ok("kubectl rollout history ds httpd --revision=1");
    assert!(
        first.starts_with(
            "daemonset.apps/httpd with revision #1\nPod Template:\n  Labels:\tapp=httpd\n"
        ),
        "{first}"
    );
    assert!(first.contains("    Image:\thttpd:2.4\n"), "{first}");

    assert_eq!(
        story.ok("kubectl rollout undo daemonsets/httpd"),
        "daemonset.apps/httpd rolled back\n"
    );
    assert_eq!(
        story.ok("kubectl get ds httpd -o jsonpath={.spec.template.spec.containers[0].image}"),
        "httpd:2.4"
    );
    assert_eq!(
        story.ok("kubectl rollout history ds/httpd"),
        history_of_httpd(&[2, 3])
    );
    let status = story.ok("kubectl rollout status ds/httpd");
    assert!(
        status.starts_with(
            "Waiting for daemon set \"httpd\" rollout to finish: 0 out of 3 new pods have been updated...\n"
        ),
        "{status}"
    );
    assert!(
        status.ends_with("daemon set \"httpd\" successfully rolled out\n"),
        "{status}"
    );
    assert_eq!(images(&story, "app=httpd"), ["httpd:2.4"; 3]);
    let revisions = story.json("kubectl get controllerrevisions -l app=httpd");
    let mut numbers: Vec<String> = items(&revisions)
        .iter()
        .map(|revision| text(revision, "/revision"))
        .collect();
    numbers.sort();
    assert_eq!(numbers, ["2", "3"]);
}

#[test]
fn rollout_errors_and_restart_print_as_kubectl_does() {
    let story = Story::new("ds-rollout-errors", &[]);
    let missing = story.run("kubectl rollout history ds/nope");
    assert_eq!(missing.code, 1);
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): daemonsets.apps \"nope\" not found\n"
    );
    story.apply(HTTPD);
    story.advance("5s");
    let no_last = story.run("kubectl rollout undo ds/httpd");
    assert_eq!(
        (no_last.code, no_last.stderr.as_str()),
        (1, "error: no last revision to roll back to\n")
    );
    let unknown = story.run("kubectl rollout undo ds/httpd --to-revision=7");
    assert_eq!(
        unknown.stderr,
        "error: unable to find specified revision 7 in history\n"
    );
    let unknown = story.run("kubectl rollout history ds/httpd --revision=7");
    assert_eq!(
        unknown.stderr,
        "error: unable to find the specified revision\n"
    );
    assert_eq!(
        story.ok("kubectl rollout undo ds/httpd --to-revision=1"),
        "daemonset.apps/httpd skipped rollback (current template already matches revision 1)\n"
    );

    assert_eq!(
        story.ok("kubectl rollout restart ds/httpd"),
        "daemonset.apps/httpd restarted\n"
    );
    let now = story.ok("sim time");
    assert_eq!(
        text(
            &story.json("kubectl get ds httpd"),
            "/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt"
        ),
        now.trim_end()
    );
    let again = story.run("kubectl rollout restart ds/httpd");
    assert_eq!(
        again.stderr,
        "error: failed to create patch for httpd: if restart has already been triggered within the past second, please wait before attempting to trigger another\n"
    );
    // The restart rolls every pod; a one-second timeout ends the watch before it is done.
    let timed_out = story.run("kubectl rollout status ds/httpd --timeout=1s");
    assert_eq!(timed_out.code, 1);
    assert_eq!(
        timed_out.stderr,
        "error: timed out waiting for the condition\n"
    );
    let once = story.run("kubectl rollout status ds/httpd --watch=false");
    assert_eq!(once.code, 0);
    assert!(
        once.stdout
            .starts_with("Waiting for daemon set \"httpd\" rollout to finish: ")
            && once.stdout.lines().count() == 1,
        "{}",
        once.stdout
    );
    assert!(
        story
            .ok("kubectl rollout status ds/httpd")
            .ends_with("daemon set \"httpd\" successfully rolled out\n")
    );
    assert_eq!(
        story.ok("kubectl rollout history ds/httpd"),
        history_of_httpd(&[1, 2])
    );

    story.apply(&HTTPD.replace(
        "    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 1\n",
        "    type: OnDelete\n",
    ));
    let on_delete = story.run("kubectl rollout status ds/httpd");
    assert_eq!(
        (on_delete.code, on_delete.stderr.as_str()),
        (
            1,
            "error: rollout status is only available for RollingUpdate strategy type\n"
        )
    );
}

#[test]
fn no_execute_removes_the_pod_and_no_schedule_keeps_it_misscheduled() {
    let story = Story::new("ds-taints", &[]);
    story.apply(HTTPD);
    story.advance("5s");

    story.ok("kubectl taint nodes node-1 maintenance=true:NoSchedule");
    story.advance("5s");
    assert_eq!(
        pod_nodes(&story, "app=httpd", "default"),
        ["node-1", "node-2", "node-3"]
    );
    assert_eq!(
        ds_status(&story, "httpd", "default", "numberMisscheduled"),
        1
    );
    assert_eq!(
        ds_status(&story, "httpd", "default", "desiredNumberScheduled"),
        2
    );

    story.ok("kubectl taint nodes node-2 evict=true:NoExecute");
    story.advance("5s");
    assert_eq!(
        pod_nodes(&story, "app=httpd", "default"),
        ["node-1", "node-3"]
    );
    assert_eq!(
        ds_status(&story, "httpd", "default", "desiredNumberScheduled"),
        1
    );
}

#[test]
fn an_orphan_delete_leaves_the_pods_for_the_next_daemon_set_to_adopt() {
    let story = Story::new("ds-orphan", &[]);
    story.apply(HTTPD);
    story.advance("5s");
    let before: Vec<String> = items(&story.json("kubectl get pods -l app=httpd"))
        .iter()
        .map(|pod| text(pod, "/metadata/name"))
        .collect();
    assert_eq!(before.len(), 3);

    story.ok("kubectl delete ds httpd --cascade=orphan");
    let pods = story.json("kubectl get pods -l app=httpd");
    assert_eq!(items(&pods).len(), 3);
    assert!(
        items(&pods).iter().all(|pod| pod
            .pointer("/metadata/ownerReferences")
            .is_none_or(|refs| refs.as_array().is_some_and(Vec::is_empty))),
        "orphaned"
    );

    story.apply(HTTPD);
    story.advance("5s");
    let uid = text(&story.json("kubectl get ds httpd"), "/metadata/uid");
    let pods = story.json("kubectl get pods -l app=httpd");
    let mut after: Vec<String> = Vec::new();
    for pod in items(&pods) {
        assert_eq!(text(&pod, "/metadata/ownerReferences/0/uid"), uid);
        after.push(text(&pod, "/metadata/name"));
    }
    assert_eq!(after, before, "the same pods, adopted");
    assert_eq!(ds_status(&story, "httpd", "default", "numberAvailable"), 3);
}

#[test]
fn strict_validation_and_the_selector_must_match_the_template() {
    let story = Story::new("ds-validation", &[]);
    let typo = story.run_with(
        "kubectl apply -f -",
        &HTTPD.replace("image: httpd", "imagee: httpd"),
    );
    assert_eq!(typo.code, 1);
    assert_eq!(
        typo.stderr,
        "Error from server (BadRequest): error when creating \"STDIN\": DaemonSet in version \"v1\" cannot be handled as a DaemonSet: strict decoding error: unknown field \"spec.template.spec.containers[0].imagee\"\n"
    );
    let mismatch = story.run_with(
        "kubectl apply -f -",
        &HTTPD.replace(
            "      app: httpd\n  updateStrategy",
            "      app: web\n  updateStrategy",
        ),
    );
    assert_eq!(mismatch.code, 1);
    assert_eq!(
        mismatch.stderr,
        "The DaemonSet \"httpd\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"httpd\"}: `selector` does not match template `labels`\n"
    );
    assert!(items(&story.json("kubectl get ds")).is_empty());
}

#[test]
fn get_and_describe_show_the_counts() {
    let story = Story::new("ds-printers", &[]);
    story.apply(FLUENTD);
    story.ok("kubectl label nodes node-1 node-2 disktype=ssd");
    story.advance("5s");
    let table = story.ok("kubectl get ds");
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[0],
        "NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE"
    );
    assert!(
        lines[1].starts_with(
            "fluentd   2         2         2       2            2           disktype=ssd    "
        ),
        "{table}"
    );
    let describe = story.ok("kubectl describe ds fluentd");
    for line in [
        "Name:           fluentd\n",
        "Selector:       app=fluentd\n",
        "Node-Selector:  disktype=ssd\n",
        "Desired Number of Nodes Scheduled: 2\n",
        "Current Number of Nodes Scheduled: 2\n",
        "Number of Nodes Scheduled with Up-to-date Pods: 2\n",
        "Number of Nodes Scheduled with Available Pods: 2\n",
        "Number of Nodes Misscheduled: 0\n",
        "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n",
        "  Normal  SuccessfulCreate",
    ] {
        assert!(describe.contains(line), "{line:?} in\n{describe}");
    }
}
