//! Stories of input at the edges, found by fuzzing: extreme quantities and durations, commands
//! that would run for ever, refused commands that must change nothing, flags that do not parse
//! and names with control characters.

use crate::story::{Story, text};

#[test]
fn a_refused_node_changes_nothing() {
    let story = Story::new("refused-node", &[]);
    let before = story.state_file();
    for (line, stderr) in [
        (
            "sim node add node-1",
            "Error from server (AlreadyExists): nodes \"node-1\" already exists\n",
        ),
        (
            "sim node add gpu-1 --label 'team lead=ann'",
            "The Node \"gpu-1\" is invalid: metadata.labels: Invalid value: \"team lead\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\n",
        ),
        ("sim node add gpu-1 --taint 'bad key:NoSchedule'", ""),
        (
            "sim node add gpu-1 --taint gpu=true:Sometimes",
            "error: invalid taint effect: Sometimes, unsupported taint effect\n",
        ),
        ("sim node add gpu-1 --label team", ""),
        ("sim node add gpu-1 --cpu 1e", ""),
    ] {
        let ran = story.run(line);
        assert_eq!(ran.code, 1, "{line}: {ran:?}");
        if !stderr.is_empty() {
            assert_eq!(ran.stderr, stderr, "{line}");
        }
        assert_eq!(story.state_file(), before, "{line} changed the state");
    }
    // The refused nodes took nothing: the next node gets the same ids and index as in a
    // cluster where none was refused.
    story.ok("sim node add node-4");
    let fresh = Story::new("refused-node-fresh", &[]);
    fresh.ok("sim node add node-4");
    assert_eq!(story.state_file(), fresh.state_file());
    let node = story.json("kubectl get node node-4");
    assert_eq!(text(&node, "/spec/podCIDR"), "10.244.4.0/24");
}

#[test]
fn flags_that_do_not_parse_stop_the_command_before_it_acts() {
    let story = Story::new("bad-flags", &[]);
    story.ok("kubectl create job pi --image=perl -- sleep 300");
    story.apply(
        "apiVersion: apps/v1
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
        image: busybox:1.36
        command: [sleep, infinity]
",
    );
    story.advance("5s");
    let before = story.state_file();
    let invalid = |value: &str, flag: &str, error: &str| {
        format!("error: invalid argument \"{value}\" for \"--{flag}\" flag: {error}\n")
    };
    for (line, stderr) in [
        (
            "kubectl delete job pi --timeout=abc",
            invalid("abc", "timeout", "time: invalid duration \"abc\""),
        ),
        (
            "kubectl delete job pi --timeout=30",
            invalid("30", "timeout", "time: missing unit in duration \"30\""),
        ),
        (
            "kubectl delete job pi --grace-period=1.5",
            invalid(
                "1.5",
                "grace-period",
                "strconv.ParseInt: parsing \"1.5\": invalid syntax",
            ),
        ),
        (
            "kubectl delete job pi --grace-period=99999999999999999999",
            invalid(
                "99999999999999999999",
                "grace-period",
                "strconv.ParseInt: parsing \"99999999999999999999\": value out of range",
            ),
        ),
        (
            "kubectl wait job/pi --for=condition=complete --timeout=abc",
            invalid("abc", "timeout", "time: invalid duration \"abc\""),
        ),
        (
            "kubectl wait job/pi --for=bogus --timeout=9223372036854775808ns",
            invalid(
                "9223372036854775808ns",
                "timeout",
                "time: invalid duration \"9223372036854775808ns\"",
            ),
        ),
        (
            "kubectl rollout status ds/agent --timeout=1x",
            invalid(
                "1x",
                "timeout",
                "time: unknown unit \"x\" in duration \"1x\"",
            ),
        ),
        (
            "kubectl drain node-1 --ignore-daemonsets --force --timeout=abc",
            invalid("abc", "timeout", "time: invalid duration \"abc\""),
        ),
        (
            "kubectl drain node-1 --ignore-daemonsets --force --grace-period=abc",
            invalid(
                "abc",
                "grace-period",
                "strconv.ParseInt: parsing \"abc\": invalid syntax",
            ),
        ),
        (
            "kubectl logs job/pi --tail=abc",
            invalid(
                "abc",
                "tail",
                "strconv.ParseInt: parsing \"abc\": invalid syntax",
            ),
        ),
    ] {
        let ran = story.run(line);
        assert_eq!((ran.code, ran.stdout.as_str()), (1, ""), "{line}: {ran:?}");
        assert_eq!(ran.stderr, stderr, "{line}");
        assert_eq!(story.state_file(), before, "{line} changed the state");
    }
    // kubectl's int flags take Go's prefixes: 0x1e is 30 seconds.
    let ran = story
        .run("kubectl delete job pi --grace-period=0x1e --timeout=1m")
        .ok();
    assert_eq!(
        ran.stdout,
        "job.batch \"pi\" deleted from default namespace\n"
    );
}

#[test]
fn a_malformed_jsonpath_is_refused_before_waiting() {
    let story = Story::new("bad-jsonpath", &[]);
    story.ok("kubectl create job pi --image=perl -- sleep 300");
    let before = story.state_file();
    for (line, stderr) in [
        (
            "kubectl wait job/pi --for=jsonpath={.items[ --timeout=1h",
            "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n",
        ),
        (
            "kubectl wait job/pi --for=jsonpath={.status[}=1 --timeout=1h",
            "error: unterminated array\n",
        ),
        (
            "kubectl wait job/pi --for=jsonpath={.status.active}=1=2 --timeout=1h",
            "error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'\n",
        ),
    ] {
        let ran = story.run(line);
        assert_eq!(ran.code, 1, "{line}: {ran:?}");
        assert_eq!(ran.stderr, stderr, "{line}");
        // Refused at once: no time passed waiting.
        assert_eq!(story.state_file(), before, "{line} changed the state");
    }
    let ran = story
        .run("kubectl wait job/pi --for=jsonpath={.status.active}=1 --timeout=1h")
        .ok();
    assert_eq!(ran.stdout, "job.batch/pi condition met\n");
}

#[test]
fn waits_with_timeouts_near_the_64_bit_limit_give_up_after_a_year() {
    let story = Story::new("long-waits", &[]);
    story.ok("kubectl create job forever --image=busybox -- sleep infinity");
    story.apply(
        "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: never-ready
spec:
  selector:
    matchLabels: {app: never-ready}
  template:
    metadata:
      labels: {app: never-ready}
    spec:
      containers:
      - name: main
        image: busybox:1.36
        command: [sleep, infinity]
        readinessProbe:
          exec: {command: [\"true\"]}
          initialDelaySeconds: 2147483647
",
    );
    let ran = story.run("kubectl wait job/forever --for=condition=complete --timeout=2562047h");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert_eq!(
        ran.stderr,
        "error: timed out waiting for the condition on jobs.batch/forever\n"
    );
    assert_eq!(story.ok("sim time"), "2027-01-05T09:00:00Z\n");
    // A negative timeout waits a week, as kubectl's does.
    let ran = story.run("kubectl wait job/forever --for=condition=complete --timeout=-1ns");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert_eq!(story.ok("sim time"), "2027-01-12T09:00:00Z\n");
    let ran = story.run("kubectl rollout status ds/never-ready --timeout=2562047h47m16s");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert!(
        ran.stderr
            .ends_with("error: timed out waiting for the condition\n"),
        "{ran:?}"
    );
    assert_eq!(story.ok("sim time"), "2028-01-12T09:00:00Z\n");
}
