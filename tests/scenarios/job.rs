//! Jobs: the tutorial stories (a one-off pod, a migration retried until its back-off limit, a
//! fixed completion count, a work queue, an Indexed Job, a paused Job) and the cases of
//! upstream's `job_controller_test.go` that a person can see through kubectl.

use serde_json::Value;

use crate::story::{Story, condition, items, text};

fn job(name: &str, spec: &str) -> String {
    format!(
        "apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
spec:
{spec}"
    )
}

/// A pod template running `script` in `sh -c`, restartPolicy `restart`, indented for `spec:`.
fn template(restart: &str, script: &str) -> String {
    format!(
        "  template:
    spec:
      restartPolicy: {restart}
      containers:
      - name: main
        image: busybox:1.36
        command: [\"sh\", \"-c\", \"{script}\"]
"
    )
}

fn pods(story: &Story, job: &str) -> Vec<Value> {
    items(&story.json(&format!(
        "kubectl get pods -l batch.kubernetes.io/job-name={job}"
    )))
}

fn is_active(pod: &Value) -> bool {
    matches!(text(pod, "/status/phase").as_str(), "Pending" | "Running")
        && pod.pointer("/metadata/deletionTimestamp").is_none()
}

fn status(story: &Story, name: &str) -> Value {
    story
        .json(&format!("kubectl get job {name}"))
        .get("status")
        .cloned()
        .unwrap_or(Value::Null)
}

fn number(value: &Value, pointer: &str) -> i64 {
    value.pointer(pointer).and_then(Value::as_i64).unwrap_or(0)
}

fn condition_types(job: &Value) -> Vec<String> {
    job.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|condition| {
            format!(
                "{}={}",
                text(condition, "/type"),
                text(condition, "/status")
            )
        })
        .collect()
}

/// The Job's events as `Type Reason Message`, oldest first.
fn events(story: &Story, name: &str) -> Vec<String> {
    let list = story.json(&format!(
        "kubectl get events --field-selector involvedObject.name={name}"
    ));
    let mut events: Vec<(String, String)> = items(&list)
        .iter()
        .filter(|event| text(event, "/involvedObject/kind") == "Job")
        .map(|event| {
            (
                text(event, "/firstTimestamp"),
                format!(
                    "{} {} {}",
                    text(event, "/type"),
                    text(event, "/reason"),
                    text(event, "/message")
                ),
            )
        })
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0));
    events.into_iter().map(|(_, event)| event).collect()
}

/// When the Job's events with this reason were first recorded, as `HH:MM:SS`.
fn event_times(story: &Story, name: &str, reason: &str) -> Vec<String> {
    let list = story.json(&format!(
        "kubectl get events --field-selector involvedObject.name={name},reason={reason}"
    ));
    let mut times: Vec<String> = items(&list)
        .iter()
        .map(|event| text(event, "/firstTimestamp")[11..19].to_string())
        .collect();
    times.sort();
    times
}

#[test]
fn kubectl_create_job_runs_one_pod_to_completion() {
    let story = Story::new("job-pi", &[]);
    assert_eq!(
        story.ok(
            "kubectl create job pi --image=perl:5.34 -- perl -Mbignum=bpi -wle 'print bpi(20)'"
        ),
        "job.batch/pi created\n"
    );
    let job = story.json("kubectl get job pi");
    let uid = text(&job, "/metadata/uid");
    assert_eq!(
        text(
            &job,
            "/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid"
        ),
        uid
    );
    // A Job created without labels shows its template's, the generated ones included.
    assert_eq!(
        text(&job, "/metadata/labels/batch.kubernetes.io~1job-name"),
        "pi"
    );
    assert_eq!(text(&job, "/metadata/labels/controller-uid"), uid);
    assert_eq!(text(&job, "/spec/template/spec/restartPolicy"), "Never");
    assert_eq!(text(&job, "/spec/template/spec/containers/0/name"), "pi");
    assert_eq!(number(&job, "/status/active"), 1);
    assert_eq!(text(&job, "/status/startTime"), "2026-01-05T09:00:00Z");

    let pod = &pods(&story, "pi")[0];
    let name = text(pod, "/metadata/name");
    assert!(name.starts_with("pi-") && name.len() == 8, "{name}");
    assert_eq!(
        pod.pointer("/metadata/finalizers"),
        Some(&serde_json::json!(["batch.kubernetes.io/job-tracking"]))
    );
    assert_eq!(text(pod, "/metadata/ownerReferences/0/kind"), "Job");
    assert_eq!(text(pod, "/metadata/ownerReferences/0/controller"), "true");
    assert_eq!(
        text(pod, "/metadata/ownerReferences/0/blockOwnerDeletion"),
        "true"
    );
    assert_eq!(text(pod, "/metadata/labels/controller-uid"), uid);
    assert_eq!(text(pod, "/metadata/labels/job-name"), "pi");

    assert_eq!(
        story.ok("kubectl wait --for=condition=complete job/pi --timeout=60s"),
        "job.batch/pi condition met\n"
    );
    // Nothing to wait for is an error, unless the wait is for deletion (RunWait).
    let none = story.run("kubectl wait --for=condition=complete job -l app=none --timeout=0s");
    assert_eq!(none.stderr, "error: no matching resources found\n");
    assert_eq!(none.code, 1);
    let gone = story.run("kubectl wait --for=delete pod -l app=none --timeout=0s");
    assert_eq!(
        (gone.stdout.as_str(), gone.stderr.as_str(), gone.code),
        ("", "", 0)
    );
    let job = story.json("kubectl get job pi");
    assert_eq!(
        condition_types(&job),
        ["SuccessCriteriaMet=True", "Complete=True"]
    );
    let complete = condition(&job, "Complete").unwrap();
    assert_eq!(text(&complete, "/reason"), "CompletionsReached");
    assert_eq!(
        text(&complete, "/message"),
        "Reached expected number of succeeded pods"
    );
    // The pod ran from 09:00:02 to 09:00:12; the batched sync a second later counted it.
    assert_eq!(text(&job, "/status/completionTime"), "2026-01-05T09:00:13Z");
    assert_eq!(
        text(&job, "/status/completionTime"),
        text(&complete, "/lastTransitionTime")
    );
    assert_eq!(number(&job, "/status/succeeded"), 1);
    assert!(job.pointer("/status/active").is_none());
    assert_eq!(number(&job, "/status/ready"), 0);
    assert_eq!(
        job.pointer("/status/uncountedTerminatedPods"),
        Some(&serde_json::json!({}))
    );
    let pod = &pods(&story, "pi")[0];
    assert_eq!(text(pod, "/status/phase"), "Succeeded");
    assert!(pod.pointer("/metadata/finalizers").is_none());
    assert_eq!(
        events(&story, "pi"),
        [
            format!("Normal SuccessfulCreate Created pod: {name}"),
            "Normal Completed Job completed".to_string()
        ]
    );
}

#[test]
fn a_failing_migration_with_on_failure_is_retried_until_the_backoff_limit() {
    let story = Story::new("job-migration", &[]);
    story.apply(&job(
        "db-migrate",
        &format!(
            "  backoffLimit: 3\n{}",
            template("OnFailure", "echo migrating; exit 1")
        ),
    ));
    story.advance("20s");
    // OnFailure restarts the container in place: one pod, restarts climbing.
    let all = pods(&story, "db-migrate");
    assert_eq!(all.len(), 1);
    assert_eq!(
        number(&all[0], "/status/containerStatuses/0/restartCount"),
        2
    );
    assert!(condition(&story.json("kubectl get job db-migrate"), "FailureTarget").is_none());
    let pod = text(&all[0], "/metadata/name");
    assert_eq!(story.ok(&format!("kubectl logs {pod}")), "migrating\n");
    story.advance("2m");
    let job = story.json("kubectl get job db-migrate");
    assert_eq!(condition_types(&job), ["FailureTarget=True", "Failed=True"]);
    let failed = condition(&job, "Failed").unwrap();
    assert_eq!(text(&failed, "/reason"), "BackoffLimitExceeded");
    assert_eq!(
        text(&failed, "/message"),
        "Job has reached the specified backoff limit"
    );
    // The third restart (09:00:32) is seen at 09:00:33; its pod is then deleted and counted.
    assert_eq!(
        text(
            &condition(&job, "FailureTarget").unwrap(),
            "/lastTransitionTime"
        ),
        "2026-01-05T09:00:33Z"
    );
    assert_eq!(number(&job, "/status/failed"), 1);
    assert!(job.pointer("/status/active").is_none());
    assert!(job.pointer("/status/completionTime").is_none());
    assert_eq!(
        events(&story, "db-migrate").last().map(String::as_str),
        Some("Warning BackoffLimitExceeded Job has reached the specified backoff limit")
    );
    assert!(pods(&story, "db-migrate").is_empty());
}

#[test]
fn ten_completions_three_at_a_time() {
    let story = Story::new("job-ten", &[]);
    story.apply(&job(
        "ten",
        &format!(
            "  completions: 10\n  parallelism: 3\n{}",
            template("Never", "sleep 5")
        ),
    ));
    let mut steps = 0;
    loop {
        let all = pods(&story, "ten");
        let active = all.iter().filter(|pod| is_active(pod)).count();
        assert!(active <= 3, "{active} pods active at step {steps}");
        let job = story.json("kubectl get job ten");
        if condition(&job, "Complete").is_some() {
            assert_eq!(all.len(), 10);
            assert!(
                all.iter()
                    .all(|pod| text(pod, "/status/phase") == "Succeeded")
            );
            assert_eq!(number(&job, "/status/succeeded"), 10);
            assert_eq!(number(&job, "/status/failed"), 0);
            break;
        }
        assert!(number(&job, "/status/active") <= 3);
        story.ok("sim step");
        steps += 1;
        assert!(steps < 500, "the Job did not complete");
    }
    let created = events(&story, "ten")
        .iter()
        .filter(|event| event.contains("SuccessfulCreate"))
        .count();
    assert_eq!(created, 10);
}

#[test]
fn a_work_queue_stops_creating_pods_after_the_first_success() {
    let story = Story::new("job-queue", &[]);
    story.apply(&job(
        "queue",
        &format!("  parallelism: 3\n{}", template("Never", "sleep 3600")),
    ));
    let job = story.json("kubectl get job queue");
    assert!(job.pointer("/spec/completions").is_none());
    assert_eq!(number(&job, "/spec/parallelism"), 3);
    story.advance("5s");
    let names: Vec<String> = pods(&story, "queue")
        .iter()
        .map(|pod| text(pod, "/metadata/name"))
        .collect();
    assert_eq!(names.len(), 3);
    story.ok(&format!("sim pod succeed {}", names[0]));
    story.advance("5s");
    let status = status(&story, "queue");
    assert_eq!(number(&status, "/succeeded"), 1);
    assert_eq!(number(&status, "/active"), 2);
    // A failure after the first success does not fail a work queue, nor is it replaced.
    story.ok(&format!("sim pod fail {}", names[1]));
    story.advance("5s");
    assert_eq!(pods(&story, "queue").len(), 3);
    let job = story.json("kubectl get job queue");
    assert!(condition(&job, "Complete").is_none());
    assert_eq!(number(&job, "/status/failed"), 1);
    story.ok(&format!("sim pod succeed {}", names[2]));
    story.advance("5s");
    let job = story.json("kubectl get job queue");
    assert_eq!(
        condition_types(&job),
        ["SuccessCriteriaMet=True", "Complete=True"]
    );
    assert_eq!(number(&job, "/status/succeeded"), 2);
    assert_eq!(number(&job, "/status/failed"), 1);
}

#[test]
fn indexed_pods_see_their_completion_index() {
    let story = Story::new("job-indexed", &[]);
    story.apply(&job(
        "idx",
        &format!(
            "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n{}",
            template("Never", "echo index $JOB_COMPLETION_INDEX; sleep 5")
        ),
    ));
    let mut all = pods(&story, "idx");
    all.sort_by_key(|pod| {
        text(
            pod,
            "/metadata/annotations/batch.kubernetes.io~1job-completion-index",
        )
    });
    assert_eq!(all.len(), 3);
    for (index, pod) in all.iter().enumerate() {
        let name = text(pod, "/metadata/name");
        assert!(name.starts_with(&format!("idx-{index}-")), "{name}");
        assert_eq!(name.len(), format!("idx-{index}-").len() + 5);
        assert_eq!(text(pod, "/spec/hostname"), format!("idx-{index}"));
        assert_eq!(
            text(
                pod,
                "/metadata/labels/batch.kubernetes.io~1job-completion-index"
            ),
            index.to_string()
        );
        let env = &pod["spec"]["containers"][0]["env"][0];
        assert_eq!(text(env, "/name"), "JOB_COMPLETION_INDEX");
        assert_eq!(
            text(env, "/valueFrom/fieldRef/fieldPath"),
            "metadata.labels['batch.kubernetes.io/job-completion-index']"
        );
    }
    story.advance("3s");
    for (index, pod) in all.iter().enumerate() {
        let name = text(pod, "/metadata/name");
        assert_eq!(
            story.ok(&format!("kubectl logs {name}")),
            format!("index {index}\n")
        );
    }
    story.advance("10s");
    let job = story.json("kubectl get job idx");
    assert_eq!(text(&job, "/status/completedIndexes"), "0-2");
    assert_eq!(number(&job, "/status/succeeded"), 3);
    assert!(condition(&job, "Complete").is_some());
}

#[test]
fn parallelism_zero_pauses_a_job_until_raised() {
    let story = Story::new("job-paused", &[]);
    story.apply(&job(
        "paused",
        &format!(
            "  completions: 4\n  parallelism: 0\n{}",
            template("Never", "sleep 5")
        ),
    ));
    story.advance("1m");
    assert!(pods(&story, "paused").is_empty());
    let job = story.json("kubectl get job paused");
    assert!(job.pointer("/status/conditions").is_none());
    assert_eq!(number(&job, "/status/ready"), 0);
    assert_eq!(
        story.ok("kubectl patch job paused -p '{\"spec\":{\"parallelism\":2}}'"),
        "job.batch/paused patched\n"
    );
    // A spec change syncs at once.
    assert_eq!(pods(&story, "paused").len(), 2);
    assert_eq!(
        story.ok("kubectl wait --for=condition=complete job/paused --timeout=2m"),
        "job.batch/paused condition met\n"
    );
    assert_eq!(number(&status(&story, "paused"), "/succeeded"), 4);
}

#[test]
fn lowering_parallelism_deletes_the_excess_without_counting_failures() {
    let story = Story::new("job-scale-down", &[]);
    story.apply(&job(
        "scale",
        &format!(
            "  completions: 6\n  parallelism: 3\n{}",
            template("Never", "sleep 600")
        ),
    ));
    story.advance("5s");
    story.ok("kubectl patch job scale -p '{\"spec\":{\"parallelism\":1}}'");
    story.advance("5s");
    let all = pods(&story, "scale");
    assert_eq!(all.len(), 1);
    let status = status(&story, "scale");
    assert_eq!(number(&status, "/active"), 1);
    assert_eq!(number(&status, "/failed"), 0);
    let deleted = events(&story, "scale")
        .iter()
        .filter(|event| event.starts_with("Normal SuccessfulDelete Deleted pod: scale-"))
        .count();
    assert_eq!(deleted, 2);
}

#[test]
fn suspend_and_resume() {
    let story = Story::new("job-suspend", &[]);
    story.apply(&job(
        "batch",
        &format!(
            "  suspend: true\n  completions: 2\n  parallelism: 2\n{}",
            template("Never", "sleep 60")
        ),
    ));
    story.advance("30s");
    assert!(pods(&story, "batch").is_empty());
    let job = story.json("kubectl get job batch");
    assert!(job.pointer("/status/startTime").is_none());
    let suspended = condition(&job, "Suspended").unwrap();
    assert_eq!(text(&suspended, "/status"), "True");
    assert_eq!(text(&suspended, "/reason"), "JobSuspended");
    assert_eq!(text(&suspended, "/message"), "Job suspended");
    assert_eq!(events(&story, "batch"), ["Normal Suspended Job suspended"]);

    story.ok("kubectl patch job batch -p '{\"spec\":{\"suspend\":false}}'");
    let job = story.json("kubectl get job batch");
    assert_eq!(text(&job, "/status/startTime"), "2026-01-05T09:00:30Z");
    let resumed = condition(&job, "Suspended").unwrap();
    assert_eq!(text(&resumed, "/status"), "False");
    assert_eq!(text(&resumed, "/reason"), "JobResumed");
    assert_eq!(pods(&story, "batch").len(), 2);

    story.advance("10s");
    story.ok("kubectl patch job batch -p '{\"spec\":{\"suspend\":true}}'");
    story.advance("10s");
    let job = story.json("kubectl get job batch");
    assert!(pods(&story, "batch").is_empty());
    assert_eq!(number(&job, "/status/failed"), 0);
    assert!(job.pointer("/status/active").is_none());
    assert_eq!(
        text(&condition(&job, "Suspended").unwrap(), "/status"),
        "True"
    );
    let reasons: Vec<String> = events(&story, "batch")
        .iter()
        .map(|event| event.split(' ').nth(1).unwrap_or_default().to_string())
        .collect();
    // Resuming creates the pods before the Resumed event; suspending again folds into the
    // first Suspended event, whose count goes up.
    assert_eq!(
        reasons,
        [
            "Suspended",
            "SuccessfulCreate",
            "SuccessfulCreate",
            "Resumed",
            "SuccessfulDelete",
            "SuccessfulDelete",
        ]
    );
    let suspended = story
        .json("kubectl get events --field-selector involvedObject.name=batch,reason=Suspended");
    assert_eq!(number(&items(&suspended)[0], "/count"), 2);
}

#[test]
fn active_deadline_seconds_fails_the_job() {
    let story = Story::new("job-deadline", &[]);
    story.apply(&job(
        "slow",
        &format!(
            "  activeDeadlineSeconds: 10\n  backoffLimit: 0\n{}",
            template("Never", "sleep 3600")
        ),
    ));
    story.advance("9s");
    assert!(condition(&story.json("kubectl get job slow"), "FailureTarget").is_none());
    story.advance("1s");
    let job = story.json("kubectl get job slow");
    let target = condition(&job, "FailureTarget").unwrap();
    assert_eq!(text(&target, "/reason"), "DeadlineExceeded");
    assert_eq!(
        text(&target, "/message"),
        "Job was active longer than specified deadline"
    );
    assert_eq!(text(&target, "/lastTransitionTime"), "2026-01-05T09:00:10Z");
    // Failed waits until the deleted pod has terminated.
    assert!(condition(&job, "Failed").is_none());
    assert_eq!(number(&job, "/status/terminating"), 1);
    story.advance("30s");
    let job = story.json("kubectl get job slow");
    assert_eq!(condition_types(&job), ["FailureTarget=True", "Failed=True"]);
    assert_eq!(number(&job, "/status/failed"), 1);
    assert_eq!(number(&job, "/status/terminating"), 0);
    assert_eq!(
        events(&story, "slow").last().map(String::as_str),
        Some("Warning DeadlineExceeded Job was active longer than specified deadline")
    );
}

#[test]
fn failed_pods_are_replaced_after_a_doubling_back_off() {
    let story = Story::new("job-backoff", &[]);
    story.apply(&job(
        "flaky",
        &format!("  backoffLimit: 2\n{}", template("Never", "exit 1")),
    ));
    story.advance("2m");
    // Pods fail as they start (2 s after creation); the failure is seen a second later and the
    // next pod waits 10 s, then 20 s, from the failure.
    assert_eq!(
        event_times(&story, "flaky", "SuccessfulCreate"),
        ["09:00:00", "09:00:12", "09:00:34"]
    );
    let job = story.json("kubectl get job flaky");
    assert_eq!(number(&job, "/status/failed"), 3);
    assert_eq!(
        text(&condition(&job, "Failed").unwrap(), "/reason"),
        "BackoffLimitExceeded"
    );
    assert_eq!(
        text(&condition(&job, "Failed").unwrap(), "/lastTransitionTime"),
        "2026-01-05T09:00:37Z"
    );
    let all = pods(&story, "flaky");
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|pod| text(pod, "/status/phase") == "Failed"
        && pod.pointer("/metadata/finalizers").is_none()));
}

#[test]
fn pod_failure_policy_fails_the_job_or_ignores_the_failure() {
    let story = Story::new("job-pfp", &[]);
    let spec = format!(
        "  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: Ignore
      onExitCodes:
        operator: In
        values: [3]
    - action: FailJob
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
{}",
        template("Never", "sleep 3600")
    );
    story.apply(&job("policy", &spec));
    let job = story.json("kubectl get job policy");
    assert_eq!(text(&job, "/spec/podReplacementPolicy"), "Failed");
    story.advance("5s");
    let first = text(&pods(&story, "policy")[0], "/metadata/name");
    story.ok(&format!("sim pod fail {first} --exit-code 3"));
    story.advance("5s");
    // An ignored failure is not counted, but its replacement still waits out the back-off,
    // during which upstream reports no active pods.
    let status = status(&story, "policy");
    assert!(status.get("failed").is_none(), "{status}");
    assert!(status.get("active").is_none(), "{status}");
    assert_eq!(pods(&story, "policy").len(), 1);
    story.advance("10s");
    assert_eq!(number(&self::status(&story, "policy"), "/active"), 1);
    let second = pods(&story, "policy")
        .iter()
        .map(|pod| text(pod, "/metadata/name"))
        .find(|name| *name != first)
        .unwrap();
    story.advance("5s");
    story.ok(&format!("sim pod fail {second} --exit-code 42"));
    story.advance("5s");
    let job = story.json("kubectl get job policy");
    assert_eq!(condition_types(&job), ["FailureTarget=True", "Failed=True"]);
    let failed = condition(&job, "Failed").unwrap();
    assert_eq!(text(&failed, "/reason"), "PodFailurePolicy");
    assert_eq!(
        text(&failed, "/message"),
        format!(
            "Container main for pod default/{second} failed with exit code 42 matching FailJob rule at index 1"
        )
    );
    assert_eq!(number(&job, "/status/failed"), 1);
}

#[test]
fn backoff_limit_per_index_fails_only_the_exhausted_indexes() {
    let story = Story::new("job-per-index", &[]);
    story.apply(&job(
        "per-index",
        &format!(
            "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n{}",
            template("Never", "exit $JOB_COMPLETION_INDEX")
        ),
    ));
    let job = story.json("kubectl get job per-index");
    assert_eq!(number(&job, "/spec/backoffLimit"), 2147483647);
    story.advance("2m");
    let job = story.json("kubectl get job per-index");
    assert_eq!(text(&job, "/status/completedIndexes"), "0");
    assert_eq!(text(&job, "/status/failedIndexes"), "1,2");
    assert_eq!(number(&job, "/status/failed"), 4);
    let failed = condition(&job, "Failed").unwrap();
    assert_eq!(text(&failed, "/reason"), "FailedIndexes");
    assert_eq!(text(&failed, "/message"), "Job has failed indexes");
    // Each retry carries its index's failure count.
    let counts: Vec<String> = pods(&story, "per-index")
        .iter()
        .filter(|pod| {
            text(
                pod,
                "/metadata/labels/batch.kubernetes.io~1job-completion-index",
            ) == "1"
        })
        .map(|pod| {
            text(
                pod,
                "/metadata/annotations/batch.kubernetes.io~1job-index-failure-count",
            )
        })
        .collect();
    let mut counts = counts;
    counts.sort();
    assert_eq!(counts, ["0", "1"]);
}

#[test]
fn a_success_policy_completes_an_indexed_job_early() {
    let story = Story::new("job-success-policy", &[]);
    story.apply(&job(
        "leader",
        &format!(
            "  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  successPolicy:\n    rules:\n    - succeededIndexes: \"0\"\n{}",
            template("Never", "sleep ${JOB_COMPLETION_INDEX}5")
        ),
    ));
    // Index 0 sleeps 5 s, index 1 sleeps 15 s, index 2 sleeps 25 s.
    story.advance("8s");
    let job = story.json("kubectl get job leader");
    let met = condition(&job, "SuccessCriteriaMet").unwrap();
    assert_eq!(text(&met, "/reason"), "SuccessPolicy");
    assert_eq!(text(&met, "/message"), "Matched rules at index 0");
    assert!(condition(&job, "Complete").is_none());
    assert_eq!(number(&job, "/status/terminating"), 2);
    story.advance("3s");
    let job = story.json("kubectl get job leader");
    assert_eq!(text(&job, "/status/completionTime"), "2026-01-05T09:00:11Z");
    assert_eq!(
        condition_types(&job),
        ["SuccessCriteriaMet=True", "Complete=True"]
    );
    assert_eq!(
        text(&condition(&job, "Complete").unwrap(), "/reason"),
        "SuccessPolicy"
    );
    assert_eq!(text(&job, "/status/completedIndexes"), "0");
    assert_eq!(number(&job, "/status/succeeded"), 1);
    assert_eq!(number(&job, "/status/failed"), 0);
}

#[test]
fn ttl_after_finished_deletes_the_job_and_its_pods() {
    let story = Story::new("job-ttl", &[]);
    story.apply(&job(
        "short",
        &format!(
            "  ttlSecondsAfterFinished: 30\n{}",
            template("Never", "sleep 5")
        ),
    ));
    story.advance("10s");
    let finished = text(
        &condition(&story.json("kubectl get job short"), "Complete").unwrap(),
        "/lastTransitionTime",
    );
    assert_eq!(finished, "2026-01-05T09:00:08Z");
    story.advance("27s");
    assert_eq!(pods(&story, "short").len(), 1);
    story.advance("1s");
    let ran = story.run("kubectl get job short");
    assert_ne!(ran.code, 0);
    assert_eq!(
        ran.stderr,
        "Error from server (NotFound): jobs.batch \"short\" not found\n"
    );
    assert!(pods(&story, "short").is_empty());
}

#[test]
fn deleting_a_job_removes_its_pods_and_their_finalizers() {
    let story = Story::new("job-delete", &[]);
    story.apply(&job(
        "doomed",
        &format!(
            "  completions: 3\n  parallelism: 2\n{}",
            template("Never", "sleep 600")
        ),
    ));
    story.advance("5s");
    assert_eq!(pods(&story, "doomed").len(), 2);
    assert_eq!(
        story.ok("kubectl delete job doomed"),
        "job.batch \"doomed\" deleted from default namespace\n"
    );
    story.advance("1m");
    assert!(pods(&story, "doomed").is_empty());
    assert!(items(&story.json("kubectl get pods")).is_empty());
}

#[test]
fn podreplacementpolicy_failed_waits_for_a_deleted_pod_to_terminate() {
    let story = Story::new("job-replacement", &[]);
    for (name, policy) in [("eager", "TerminatingOrFailed"), ("patient", "Failed")] {
        story.apply(&job(
            name,
            &format!(
                "  podReplacementPolicy: {policy}\n  backoffLimit: 6\n{}",
                template("Never", "sleep 600")
            ),
        ));
    }
    story.advance("5s");
    for name in ["eager", "patient"] {
        let pod = text(&pods(&story, name)[0], "/metadata/name");
        story.ok(&format!("kubectl delete pod {pod} --wait=false"));
    }
    story.advance("1s");
    // A deleted pod counts as failed under TerminatingOrFailed: it is replaced after the back-off.
    let eager = status(&story, "eager");
    assert_eq!(number(&eager, "/failed"), 1);
    assert_eq!(number(&eager, "/terminating"), 1);
    // Under Failed it is only terminating, and nothing replaces it yet.
    let patient = status(&story, "patient");
    assert_eq!(number(&patient, "/failed"), 0);
    assert_eq!(number(&patient, "/terminating"), 1);
    assert_eq!(pods(&story, "patient").len(), 1);
    story.advance("30s");
    assert_eq!(
        pods(&story, "eager")
            .iter()
            .filter(|pod| is_active(pod))
            .count(),
        1
    );
    assert_eq!(
        pods(&story, "patient")
            .iter()
            .filter(|pod| is_active(pod))
            .count(),
        1
    );
    assert_eq!(number(&status(&story, "patient"), "/failed"), 1);
}

#[test]
fn invalid_jobs_are_rejected_with_the_api_servers_messages() {
    let story = Story::new("job-invalid", &[]);
    let cases = [
        (
            template("Always", "true"),
            "The Job \"bad\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"\n",
        ),
        (
            format!(
                "  completionMode: Indexed\n  parallelism: 2\n{}",
                template("Never", "true")
            ),
            "The Job \"bad\" is invalid: spec.completions: Required value: when completion mode is Indexed\n",
        ),
        (
            format!("  parallelism: -1\n{}", template("Never", "true")),
            "The Job \"bad\" is invalid: spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n",
        ),
        (
            format!("  backoffLimitPerIndex: 1\n{}", template("Never", "true")),
            "The Job \"bad\" is invalid: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode\n",
        ),
        (
            format!(
                "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        operator: In\n        values: [2, 1]\n{}",
                template("OnFailure", "true")
            ),
            "The Job \"bad\" is invalid: \n* spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 1}: must be ordered\n* spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified\n",
        ),
    ];
    for (spec, message) in cases {
        let ran = story.run_with("kubectl apply -f -", &job("bad", &spec));
        assert_eq!(ran.code, 1, "{spec}");
        assert_eq!(ran.stderr, message);
    }
    story.apply(&job(
        "good",
        &format!("  completions: 2\n{}", template("Never", "sleep 60")),
    ));
    let ran = story.run("kubectl patch job good -p '{\"spec\":{\"completions\":3}}'");
    assert_eq!(
        ran.stderr,
        "The Job \"good\" is invalid: spec.completions: Invalid value: 3: field is immutable\n"
    );
}

#[test]
fn pods_deleted_when_a_job_fails_count_as_failed() {
    // Upstream's "count ready pods when job fails": limit 0, two running and one failed.
    let story = Story::new("job-fail-count", &[]);
    story.apply(&job(
        "strict",
        &format!(
            "  completions: 3\n  parallelism: 3\n  backoffLimit: 0\n{}",
            template("Never", "sleep 600")
        ),
    ));
    story.advance("5s");
    let first = text(&pods(&story, "strict")[0], "/metadata/name");
    story.ok(&format!("sim pod fail {first}"));
    story.advance("1s");
    let job = story.json("kubectl get job strict");
    assert_eq!(condition_types(&job), ["FailureTarget=True"]);
    assert_eq!(number(&job, "/status/failed"), 3);
    assert_eq!(number(&job, "/status/terminating"), 2);
    assert_eq!(number(&job, "/status/ready"), 0);
    story.advance("1m");
    let job = story.json("kubectl get job strict");
    assert_eq!(condition_types(&job), ["FailureTarget=True", "Failed=True"]);
    assert_eq!(number(&job, "/status/failed"), 3);
}

#[test]
fn orphaned_pods_lose_their_tracking_finalizer() {
    let story = Story::new("job-orphan", &[]);
    story.apply(&job(
        "left",
        &format!("  parallelism: 2\n{}", template("Never", "sleep 600")),
    ));
    story.advance("5s");
    story.ok("kubectl delete job left --cascade=orphan");
    story.advance("1s");
    let all = pods(&story, "left");
    assert_eq!(all.len(), 2);
    for pod in &all {
        assert!(pod.pointer("/metadata/ownerReferences").is_none());
        assert!(pod.pointer("/metadata/finalizers").is_none());
        assert_eq!(text(pod, "/status/phase"), "Running");
    }
}

#[test]
fn an_indexed_job_scales_completions_with_parallelism() {
    let story = Story::new("job-elastic", &[]);
    story.apply(&job(
        "elastic",
        &format!(
            "  completions: 2\n  parallelism: 2\n  completionMode: Indexed\n{}",
            template("Never", "sleep 600")
        ),
    ));
    let ran = story.run("kubectl patch job elastic -p '{\"spec\":{\"completions\":4}}'");
    assert_eq!(
        ran.stderr,
        "The Job \"elastic\" is invalid: spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism\n"
    );
    story.ok("kubectl patch job elastic -p '{\"spec\":{\"completions\":4,\"parallelism\":4}}'");
    let mut indexes: Vec<String> = pods(&story, "elastic")
        .iter()
        .map(|pod| {
            text(
                pod,
                "/metadata/labels/batch.kubernetes.io~1job-completion-index",
            )
        })
        .collect();
    indexes.sort();
    assert_eq!(indexes, ["0", "1", "2", "3"]);
    story.ok("kubectl patch job elastic -p '{\"spec\":{\"completions\":1,\"parallelism\":1}}'");
    story.advance("1s");
    let active: Vec<String> = pods(&story, "elastic")
        .iter()
        .filter(|pod| is_active(pod))
        .map(|pod| {
            text(
                pod,
                "/metadata/labels/batch.kubernetes.io~1job-completion-index",
            )
        })
        .collect();
    // Indexes beyond the new completions go first.
    assert_eq!(active, ["0"]);
}

#[test]
fn a_job_managed_by_another_controller_is_left_alone() {
    let story = Story::new("job-managed-by", &[]);
    story.apply(&job(
        "external",
        &format!(
            "  managedBy: example.com/queue\n{}",
            template("Never", "sleep 5")
        ),
    ));
    story.advance("1m");
    assert!(pods(&story, "external").is_empty());
    assert!(
        story
            .json("kubectl get job external")
            .pointer("/status/startTime")
            .is_none()
    );
}

#[test]
fn raising_active_deadline_seconds_moves_the_deadline() {
    let story = Story::new("job-deadline-change", &[]);
    story.apply(&job(
        "long",
        &format!(
            "  activeDeadlineSeconds: 100\n{}",
            template("Never", "sleep 3600")
        ),
    ));
    story.advance("10s");
    story.ok("kubectl patch job long -p '{\"spec\":{\"activeDeadlineSeconds\":20}}'");
    story.advance("9s");
    assert!(condition(&story.json("kubectl get job long"), "FailureTarget").is_none());
    story.advance("1s");
    let target = condition(&story.json("kubectl get job long"), "FailureTarget").unwrap();
    assert_eq!(text(&target, "/reason"), "DeadlineExceeded");
    assert_eq!(text(&target, "/lastTransitionTime"), "2026-01-05T09:00:20Z");
}

#[test]
fn kubectl_create_job_options_and_logs() {
    let story = Story::new("job-create", &[]);
    let ran = story.run("kubectl create job nothing");
    assert_eq!(
        ran.stderr,
        "error: either --image or --from must be specified\n"
    );
    let ran = story.run("kubectl create job --image=busybox");
    assert_eq!(
        ran.stderr,
        "error: exactly one NAME is required, got 0\nSee 'kubectl create job -h' for help and examples\n"
    );
    assert_eq!(
        story.ok("kubectl create job hello --image=busybox:1.36 --dry-run=client"),
        "job.batch/hello created (dry run)\n"
    );
    assert!(story.run("kubectl get job hello").code != 0);
    story.ok("kubectl create job hello --image=busybox:1.36 -- sh -c 'echo hello from the job'");
    story.advance("5s");
    assert_eq!(story.ok("kubectl logs job/hello"), "hello from the job\n");
    let ran = story.run("kubectl create job hello --image=busybox:1.36");
    assert_eq!(
        ran.stderr,
        "Error from server (AlreadyExists): jobs.batch \"hello\" already exists\n"
    );
}

#[test]
fn one_sync_creates_at_most_five_hundred_pods() {
    let story = Story::new("job-wide", &[]);
    story.apply(&job(
        "wide",
        &format!(
            "  completions: 600\n  parallelism: 600\n{}",
            template("Never", "sleep 600")
        ),
    ));
    assert_eq!(pods(&story, "wide").len(), 500);
    story.advance("1s");
    assert_eq!(pods(&story, "wide").len(), 600);
    assert_eq!(number(&status(&story, "wide"), "/active"), 600);
}

#[test]
fn a_suspended_job_that_never_ran_may_change_where_its_pods_go() {
    let story = Story::new("job-mutable", &[]);
    story.apply(&job(
        "queued",
        &format!("  suspend: true\n{}", template("Never", "sleep 5")),
    ));
    let patch = |story: &Story, node: &str| {
        story.run(&format!(
            "kubectl patch job queued -p '{{\"spec\":{{\"template\":{{\"spec\":{{\"nodeSelector\":{{\"kubernetes.io/hostname\":\"{node}\"}}}}}}}}}}'"
        ))
    };
    assert_eq!(
        patch(&story, "node-2").ok().stdout,
        "job.batch/queued patched\n"
    );
    story.ok("kubectl patch job queued -p '{\"spec\":{\"suspend\":false}}'");
    let pod = &pods(&story, "queued")[0];
    assert_eq!(text(pod, "/spec/nodeName"), "node-2");
    let ran = patch(&story, "node-3");
    assert_eq!(ran.code, 1);
    assert_eq!(
        ran.stderr,
        "The Job \"queued\" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable\n"
    );
}

#[test]
fn a_pod_failure_policy_ignores_disruptions_from_a_drain() {
    let story = Story::new("job-disruption", &[]);
    let spec = format!(
        "  backoffLimit: 0
  podFailurePolicy:
    rules:
    - action: Ignore
      onPodConditions:
      - type: DisruptionTarget
{}",
        template("Never", "sleep 600")
    );
    story.apply(&job("resilient", &spec));
    let job = story.json("kubectl get job resilient");
    assert_eq!(
        text(
            &job,
            "/spec/podFailurePolicy/rules/0/onPodConditions/0/status"
        ),
        "True"
    );
    story.advance("5s");
    let pod = &pods(&story, "resilient")[0];
    let node = text(pod, "/spec/nodeName");
    story.ok(&format!("kubectl drain {node}"));
    story.advance("30s");
    let job = story.json("kubectl get job resilient");
    assert!(condition(&job, "FailureTarget").is_none(), "{job}");
    assert!(job.pointer("/status/failed").is_none());
    let replacement: Vec<Value> = pods(&story, "resilient")
        .into_iter()
        .filter(is_active)
        .collect();
    assert_eq!(replacement.len(), 1);
    assert_ne!(text(&replacement[0], "/spec/nodeName"), node);
}
