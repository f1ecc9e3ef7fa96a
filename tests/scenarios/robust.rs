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

#[test]
fn extreme_quantities_parse_as_the_api_server_reads_them() {
    let story = Story::new("extreme-quantities", &[]);
    // Finer than a nano rounds up to 1n; past int64 saturates; neither overflows.
    story.ok("sim node add tiny --cpu 1e-308");
    story.ok("sim node add vast --memory 1e2147483647");
    story.ok("sim node add speck --cpu 0.001e-2147483648");
    let tiny = story.json("kubectl get node tiny");
    assert_eq!(text(&tiny, "/status/allocatable/cpu"), "1e-308");
    let described = story.ok("kubectl describe node tiny");
    assert!(
        described.contains("  cpu:                1e-9\n"),
        "{described}"
    );
    let before = story.state_file();
    for (flag, value, error) in [
        ("cpu", "1e", "unable to parse quantity's suffix"),
        ("memory", "1e2147483648x", QUANTITY_FORMAT),
        ("cpu", ".e-10", "unable to parse numeric part of quantity"),
        (
            "pods",
            "1e9223372036854775808",
            "unable to parse quantity's suffix",
        ),
    ] {
        let ran = story.run(&format!("sim node add bad --{flag} {value}"));
        assert_eq!(ran.code, 1, "{ran:?}");
        assert_eq!(
            ran.stderr,
            format!("error: invalid --{flag} \"{value}\": {error}\n")
        );
        assert_eq!(story.state_file(), before);
    }
    // The same in a manifest: created, and, both saturated, only the vast node holds it.
    story.apply(GREEDY);
    story.advance("5s");
    let pod = story.json("kubectl get pod greedy");
    assert_eq!(text(&pod, "/spec/nodeName"), "vast");
    assert_eq!(text(&pod, "/status/phase"), "Running");
    story.ok("sim node remove vast");
    story.advance("1m");
    story.apply(&GREEDY.replace("greedy", "greedier"));
    story.advance("5s");
    let pod = story.json("kubectl get pod greedier");
    assert_eq!(text(&pod, "/status/phase"), "Pending");
    let events = story.ok("kubectl get events --field-selector reason=FailedScheduling");
    assert!(events.contains("Insufficient memory"), "{events}");
    for (value, error) in [
        ("12x", QUANTITY_FORMAT),
        ("1e", "unable to parse quantity's suffix"),
        ("+.e-10", "unable to parse numeric part of quantity"),
    ] {
        let ran = story.run_with(
            "kubectl apply -f -",
            &format!(
                "apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  containers:
  - name: main
    image: busybox:1.36
    resources:
      requests:
        cpu: \"{value}\"
"
            ),
        );
        assert_eq!(ran.code, 1, "{ran:?}");
        assert_eq!(
            ran.stderr,
            format!(
                "The Pod \"bad\" is invalid: spec.containers[0].resources.requests[cpu]: Invalid value: \"{value}\": {error}\n"
            )
        );
    }
}

const GREEDY: &str = "apiVersion: v1
kind: Pod
metadata:
  name: greedy
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: [sleep, infinity]
    resources:
      requests:
        cpu: \"1e-308\"
        memory: \"1e2147483647\"
";

const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

#[test]
fn deadlines_near_the_64_bit_limit_saturate() {
    let story = Story::new("far-deadlines", &[]);
    story.apply(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: patient
spec:
  activeDeadlineSeconds: 9223372036854775807
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 9223372036854775807
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 9223372036854775807}
      containers:
      - name: main
        image: busybox:1.36
        command: [sh, -c, 'sleep 99999999999999999999d; echo never']
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: quarter
spec:
  schedule: '*/15 * * * *'
  startingDeadlineSeconds: 9223372036854775807
  jobTemplate:
    spec:
      activeDeadlineSeconds: 9223372036854775807
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
            command: [sh, -c, 'sleep 1']
",
    );
    for _ in 0..3 {
        story.advance("1h");
    }
    let job = story.json("kubectl get job patient");
    assert_eq!(text(&job, "/status/active"), "1");
    assert!(crate::story::condition(&job, "Failed").is_none());
    // Every run came, none missed: 11:45 is the last (12:00's runs 100 ms after the hour).
    let cron_job = story.json("kubectl get cronjob quarter");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "2026-01-05T11:45:00Z"
    );
    assert_eq!(
        story
            .ok("kubectl get events --field-selector reason=MissSchedule -o name")
            .as_str(),
        ""
    );
    // A node that fails keeps the pod: its toleration lasts, in effect, for ever.
    story.ok("sim node fail node-1");
    story.ok("sim node fail node-2");
    story.ok("sim node fail node-3");
    story.advance("1h");
    assert_eq!(
        text(&story.json("kubectl get job patient"), "/status/active"),
        "1"
    );
    // A grace period of 2^63-1 seconds: the deletion timestamp stops at the clock's end.
    let ran = story.run(
        "kubectl delete pods -l job-name=patient --grace-period=9223372036854775807 --wait=false",
    );
    assert_eq!(ran.code, 0, "{ran:?}");
    let pods = story.json("kubectl get pods -l job-name=patient");
    assert_eq!(
        text(&pods, "/items/0/metadata/deletionTimestamp"),
        "9999-12-30T22:00:00Z"
    );
}

#[test]
fn one_advance_is_bounded_and_the_clock_stops_at_its_end() {
    let story = Story::new("bounded-advance", &[]);
    story.apply(
        "apiVersion: batch/v1
kind: CronJob
metadata:
  name: quarter
spec:
  schedule: '*/15 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
",
    );
    let before = story.state_file();
    for (duration, error) in [
        (
            "99999999999h",
            "error: cannot advance \"99999999999h\": one sim advance moves the clock at most 8760h0m0s (365 days)\n",
        ),
        (
            "366d",
            "error: cannot advance \"366d\": one sim advance moves the clock at most 8760h0m0s (365 days)\n",
        ),
        (
            "9223372036854775807",
            "error: invalid duration \"9223372036854775807\": use a number with a unit, such as 90s, 5m, 1h30m or 7d\n",
        ),
    ] {
        let ran = story.run(&format!("sim advance {duration}"));
        assert_eq!(ran.code, 1, "{ran:?}");
        assert_eq!(ran.stderr, error);
        assert_eq!(story.state_file(), before, "sim advance {duration}");
    }

    let story = Story::new("clock-end", &["--start", "9999-12-29T22:00:00Z"]);
    story.apply(
        "apiVersion: batch/v1
kind: CronJob
metadata:
  name: hourly
spec:
  schedule: '0 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
            command: [sh, -c, 'sleep 1']
",
    );
    let before = story.state_file();
    let ran = story.run("sim advance 2d");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert_eq!(
        ran.stderr,
        "error: cannot advance \"2d\": the virtual clock stops at 9999-12-30T22:00:00Z, 24h0m0s from now\n"
    );
    assert_eq!(story.state_file(), before);
    story.advance("24h");
    assert_eq!(story.ok("sim time"), "9999-12-30T22:00:00Z\n");
    // Every hour ran up to the last; 22:00's run, due 100 ms after the end, never comes.
    let cron_job = story.json("kubectl get cronjob hourly");
    assert_eq!(
        text(&cron_job, "/status/lastScheduleTime"),
        "9999-12-30T21:00:00Z"
    );
    assert_eq!(story.ok("sim step"), "nothing is scheduled\n");
    assert_eq!(story.run("sim advance 1s").code, 1);
    // Waiting at the end of time gives up at once; the clock does not wrap to 1970.
    let ran = story.run("kubectl wait cronjob/hourly --for=condition=Ready --timeout=1h");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert_eq!(story.ok("sim time"), "9999-12-30T22:00:00Z\n");
}

#[test]
fn names_in_errors_are_quoted_as_go_quotes_them() {
    let story = Story::new("quoted-names", &[]);
    let ran = story.run("kubectl get pod a\u{1}b");
    assert_eq!(
        ran.stderr,
        "Error from server (NotFound): pods \"a\\x01b\" not found\n"
    );
    let ran = story.run("kubectl delete job 'tab\there' 'esc\u{1b}[2J'");
    assert_eq!(
        ran.stderr,
        "Error from server (NotFound): jobs.batch \"tab\\there\" not found\nError from server (NotFound): jobs.batch \"esc\\x1b[2J\" not found\n"
    );
    let ran = story.run("sim node add 'bell\u{7}'");
    assert_eq!(ran.code, 1, "{ran:?}");
    assert!(
        ran.stderr.starts_with(
            "The Node \"bell\\a\" is invalid: \n* metadata.name: Invalid value: \"bell\\a\": "
        ),
        "{ran:?}"
    );
    let ran = story.run("kubectl create job 'new\nline' --image=busybox");
    assert!(
        ran.stderr
            .starts_with("The Job \"new\\nline\" is invalid: "),
        "{ran:?}"
    );
    let ran = story.run("kubectl get 'pods\u{7f}'");
    assert_eq!(
        ran.stderr,
        "error: the server doesn't have a resource type \"pods\\x7f\"\n"
    );
    assert!(!story.state_file().contains('\u{1b}'));
}
