//! The fuzz targets: one per input surface, each a generator and a check of the invariants.

use std::sync::OnceLock;

use kubeplay_core::Cluster;
use kubeplay_core::lesson::builtin::BUILT_IN;
use kubeplay_core::lesson::{Lesson, check};
use kubeplay_core::rand::Rng;
use kubeplay_core::share::Recording;

use super::generate::*;
use super::{Outcome, Target};

const EXAMPLES: &[&str] = &[
    include_str!("../../../../web/examples/db-migration-job.yaml"),
    include_str!("../../../../web/examples/fluentd-elasticsearch.yaml"),
    include_str!("../../../../web/examples/fluentd-ssd.yaml"),
    include_str!("../../../../web/examples/hello-cronjob.yaml"),
    include_str!("../../../../web/examples/httpd-rolling-update.yaml"),
    include_str!("../../../../web/examples/indexed-job.yaml"),
    include_str!("../../../../web/examples/nightly-backup-cronjob.yaml"),
    include_str!("../../../../web/examples/pi-parallel-job.yaml"),
    include_str!("../../../../web/examples/work-queue-job.yaml"),
];

/// A cluster with something of every kind to act on: a DaemonSet, Jobs, a CronJob, a bare pod.
fn base_state() -> &'static str {
    static STATE: OnceLock<String> = OnceLock::new();
    STATE.get_or_init(|| {
        let mut cluster = Cluster::default_cluster();
        for example in [EXAMPLES[1], EXAMPLES[3], EXAMPLES[7]] {
            cluster.exec("kubectl apply -f -", example);
        }
        cluster.exec(
            "kubectl create job flaky --image=busybox -- sh -c 'sleep 3; exit 1'",
            "",
        );
        cluster.exec("kubectl apply -f -", "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: agent\n        image: busybox\n        command: [sleep, infinity]\n");
        cluster.advance(45_000);
        cluster.save_state()
    })
}

fn base() -> Cluster {
    match Cluster::load_state(base_state()) {
        Ok(cluster) => cluster,
        Err(error) => unreachable!("the base state loads: {error}"),
    }
}

/// Commands that wait in a real cluster move the clock even when they fail (a timed-out wait).
fn waits(line: &str) -> bool {
    ["wait", "rollout", "delete", "drain"]
        .iter()
        .any(|verb| line.split_whitespace().nth(1) == Some(verb))
}

/// Runs one command line and checks the invariants on the cluster around it.
fn exec_checked(cluster: &mut Cluster, line: &str, stdin: &str) -> Outcome {
    let before = cluster.save_state();
    let output = cluster.exec(line, stdin);
    let after = cluster.save_state();
    // kubectl's own partial successes (`delete a b` with b missing) print what they did.
    let partial = !output.stdout.trim().is_empty();
    if output.exit_code != 0 && !partial && !waits(line) && after != before {
        return Err(format!(
            "`{line}` failed ({}) but changed the cluster",
            output.stderr.trim()
        ));
    }
    let reloaded = Cluster::load_state(&after)
        .map_err(|error| format!("after `{line}` the state does not load: {error}"))?;
    if reloaded.save_state() != after {
        return Err(format!("after `{line}` save, load, save differs"));
    }
    Ok(())
}

fn script_checked(input: &str) -> Outcome {
    let mut cluster = base();
    let (line, stdin) = input.split_once("\n<<<\n").unwrap_or((input, ""));
    exec_checked(&mut cluster, line, stdin)
}

/// The command, then `advance` of the cluster's life: whatever was accepted must survive it.
fn then_advance(input: &str, advance: &str) -> Outcome {
    let mut cluster = base();
    let (line, stdin) = input.split_once("\n<<<\n").unwrap_or((input, ""));
    exec_checked(&mut cluster, line, stdin)?;
    exec_checked(&mut cluster, advance, "")
}

fn kubectl_line(rng: &mut Rng) -> String {
    let resource = || {
        [
            "pods",
            "po",
            "nodes",
            "no",
            "ds",
            "daemonsets",
            "jobs",
            "job",
            "cronjobs",
            "cj",
            "events",
            "ns",
            "all",
            "controllerrevisions",
            "deploy",
            "pod/nope",
            "ds/agent",
            "job/pi",
            "cj/hello",
            "node/node-1",
            "ds,jobs",
            "",
        ]
    };
    let verb = pick(
        rng,
        &[
            "get",
            "describe",
            "delete",
            "label",
            "annotate",
            "taint",
            "cordon",
            "uncordon",
            "drain",
            "patch",
            "set image",
            "rollout history",
            "rollout undo",
            "rollout restart",
            "rollout status",
            "wait",
            "logs",
            "version",
            "api-resources",
            "create job",
            "create namespace",
            "apply",
            "scale",
        ],
    );
    let mut words = vec!["kubectl".to_string(), verb.to_string()];
    let resources = resource();
    for _ in 0..rng.below(3) {
        words.push(pick(rng, &resources).to_string());
    }
    if chance(rng, 60) {
        words.push(quote(&name(rng)));
    }
    for _ in 0..rng.below(4) {
        let flag = match rng.below(24) {
            0 => format!(
                "-o={}",
                pick(
                    rng,
                    &[
                        "wide",
                        "json",
                        "yaml",
                        "name",
                        "jsonpath",
                        "custom-columns=A:.x",
                        "bogus"
                    ]
                )
            ),
            1 => format!("-o=jsonpath={}", quote(&jsonpath(rng))),
            2 => format!("-l={}", quote(&selector(rng))),
            3 => format!("--field-selector={}", quote(&selector(rng))),
            4 => format!("-n={}", quote(&name(rng))),
            5 => "-A".into(),
            6 => format!(
                "--cascade={}",
                pick(
                    rng,
                    &["background", "foreground", "orphan", "true", "false", "x"]
                )
            ),
            7 => format!("--grace-period={}", number(rng)),
            8 => "--force".into(),
            9 => format!("--timeout={}", duration(rng)),
            10 => format!(
                "--for={}",
                pick(
                    rng,
                    &[
                        "condition=complete",
                        "condition=Ready",
                        "delete",
                        "condition=",
                        "jsonpath={.status.numberReady}=3",
                        "bogus"
                    ]
                )
            ),
            11 => format!("--for=jsonpath={}", quote(&jsonpath(rng))),
            12 => "--overwrite".into(),
            13 => format!("--type={}", pick(rng, &["merge", "json", "strategic", "x"])),
            14 => format!(
                "-p={}",
                quote(pick(
                    rng,
                    &[
                        "{}",
                        "{\"spec\":{\"parallelism\":0}}",
                        "[{\"op\":\"add\",\"path\":\"/metadata/labels/a\",\"value\":\"b\"}]",
                        "{",
                        "[]",
                        "{\"spec\":{\"activeDeadlineSeconds\":9223372036854775807}}"
                    ]
                ))
            ),
            15 => format!("--revision={}", number(rng)),
            16 => format!("--to-revision={}", number(rng)),
            17 => "--ignore-daemonsets".into(),
            18 => format!("--image={}", quote(&name(rng))),
            19 => format!(
                "--from={}",
                pick(rng, &["cronjob/hello", "cronjob/nope", "job/pi", ""])
            ),
            20 => format!("--tail={}", number(rng)),
            21 => format!(
                "{}={}",
                pick(
                    rng,
                    &[
                        "app",
                        "disktype",
                        "node-role.kubernetes.io/x",
                        "bad key",
                        ""
                    ]
                ),
                quote(&name(rng))
            ),
            22 => format!(
                "{}:{}{}",
                pick(rng, &["dedicated=db", "k", "k=v"]),
                pick(
                    rng,
                    &["NoSchedule", "NoExecute", "PreferNoSchedule", "Bogus"]
                ),
                pick(rng, &["", "-"])
            ),
            _ => pick(
                rng,
                &[
                    "--all",
                    "--watch=false",
                    "--show-labels",
                    "-L=app",
                    "--previous",
                    "-c=agent",
                    "--replicas=3",
                    "--bogus",
                    "-",
                    "--",
                    "sleep",
                    "30",
                ],
            )
            .to_string(),
        };
        words.push(flag);
    }
    words.join(" ")
}

fn sim_line(rng: &mut Rng) -> String {
    match rng.below(9) {
        0 => {
            let mut line = format!("sim node add {}", quote(&name(rng)));
            for _ in 0..rng.below(3) {
                line.push_str(&match rng.below(5) {
                    0 => format!(
                        " --label {}",
                        quote(&format!("{}={}", name(rng), name(rng)))
                    ),
                    1 => format!(
                        " --taint {}",
                        quote(&format!(
                            "{}:{}",
                            name(rng),
                            pick(rng, &["NoSchedule", "NoExecute", "Bad"])
                        ))
                    ),
                    2 => format!(" --cpu {}", quote(&quantity(rng))),
                    3 => format!(" --memory {}", quote(&quantity(rng))),
                    _ => format!(" --pods {}", quote(&number(rng))),
                });
            }
            line
        }
        1 => format!(
            "sim node {} {}",
            pick(rng, &["remove", "fail", "recover", "explode"]),
            quote(&name(rng))
        ),
        2 | 3 => format!("sim advance {}", quote(&duration(rng))),
        4 => "sim step".into(),
        5 => "sim time".into(),
        6 => format!(
            "sim pod {} {}",
            pick(rng, &["fail", "succeed", "ready", "unready"]),
            quote(&name(rng))
        ),
        7 => format!(
            "sim pod fail {} --exit-code {}",
            quote(&name(rng)),
            quote(&number(rng))
        ),
        _ => pick(
            rng,
            &[
                "sim",
                "sim help",
                "help",
                "clear",
                "",
                "ls",
                "kubectl",
                "k get po",
                "sim node",
                "echo 'open",
            ],
        )
        .to_string(),
    }
}

pub fn all() -> Vec<Target> {
    vec![
        Target {
            name: "command",
            generate: |rng| {
                if chance(rng, 35) {
                    sim_line(rng)
                } else {
                    kubectl_line(rng)
                }
            },
            check: script_checked,
        },
        Target {
            name: "manifest",
            generate: |rng| {
                let example = pick(rng, EXAMPLES);
                let text = if chance(rng, 10) {
                    damage(rng, example)
                } else {
                    mutate_yaml(rng, example)
                };
                // The manifest as JSON too, as kubectl takes either.
                let text = if chance(rng, 10) {
                    kubeplay_core::manifest::parse(&text)
                        .ok()
                        .and_then(|documents| {
                            documents.first().map(|document| document.value.to_string())
                        })
                        .unwrap_or(text)
                } else {
                    text
                };
                format!(
                    "kubectl {} -f -\n<<<\n{text}",
                    pick(
                        rng,
                        &["apply", "create", "apply --dry-run=server", "delete"]
                    )
                )
            },
            check: |input| then_advance(input, "sim advance 3h"),
        },
        Target {
            name: "cron",
            generate: |rng| {
                let zone = if chance(rng, 40) {
                    format!("\n  timeZone: {:?}", zone(rng))
                } else {
                    String::new()
                };
                let deadline = if chance(rng, 20) {
                    format!("\n  startingDeadlineSeconds: {}", number(rng))
                } else {
                    String::new()
                };
                format!(
                    "kubectl apply -f -\n<<<\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: fuzz\nspec:\n  schedule: {:?}{zone}{deadline}\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox\n            command: [sleep, \"5\"]\n",
                    schedule(rng)
                )
            },
            check: |input| then_advance(input, "sim advance 3h"),
        },
        Target {
            name: "selector",
            generate: |rng| {
                format!(
                    "kubectl {} {} {}={}",
                    pick(rng, &["get", "delete", "label", "wait"]),
                    pick(rng, &["pods", "nodes", "jobs", "ds"]),
                    pick(rng, &["-l", "--field-selector", "--selector"]),
                    quote(&selector(rng))
                )
            },
            check: script_checked,
        },
        Target {
            name: "jsonpath",
            generate: |rng| {
                if chance(rng, 50) {
                    format!(
                        "kubectl get {} -o jsonpath={}",
                        pick(rng, &["pods", "nodes", "ds agent", "jobs"]),
                        quote(&jsonpath(rng))
                    )
                } else {
                    format!(
                        "kubectl wait {} --for=jsonpath={} --timeout={}",
                        pick(rng, &["ds/agent", "job/pi", "pod --all", "nodes --all"]),
                        quote(&jsonpath(rng)),
                        pick(rng, &["0s", "5s", "1m"])
                    )
                }
            },
            check: script_checked,
        },
        Target {
            name: "quantity",
            generate: |rng| match rng.below(5) {
                0 => format!(
                    "sim node add q-1 --cpu {} --memory {}",
                    quote(&quantity(rng)),
                    quote(&quantity(rng))
                ),
                1 => format!("sim advance {}", quote(&duration(rng))),
                2 => format!(
                    "kubectl wait job/pi --for=condition=complete --timeout={}",
                    quote(&duration(rng))
                ),
                3 => format!(
                    "kubectl rollout status ds/agent --timeout={}",
                    quote(&duration(rng))
                ),
                _ => format!(
                    "kubectl apply -f -\n<<<\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: q\nspec:\n  activeDeadlineSeconds: {}\n  backoffLimit: {}\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [sleep, \"5\"]\n        resources:\n          requests:\n            cpu: {:?}\n            memory: {:?}\n",
                    number(rng),
                    number(rng),
                    quantity(rng),
                    quantity(rng)
                ),
            },
            check: |input| then_advance(input, "sim advance 1h"),
        },
        Target {
            name: "state",
            generate: |rng| {
                let state = base_state();
                if chance(rng, 50) {
                    damage(rng, state)
                } else {
                    mutate_yaml(rng, state)
                }
            },
            check: |input| {
                let Ok(mut cluster) = Cluster::load_state(input) else {
                    return Ok(());
                };
                let saved = cluster.save_state();
                let again = Cluster::load_state(&saved).map_err(|error| {
                    format!("a loaded state saves to one that does not load: {error}")
                })?;
                if again.save_state() != saved {
                    return Err("save, load, save differs".into());
                }
                exec_checked(&mut cluster, "sim advance 10m", "")?;
                exec_checked(&mut cluster, "kubectl get all -A -o yaml", "")
            },
        },
        Target {
            name: "link",
            generate: |rng| {
                let mut recording = Recording::default_cluster();
                for at in 0..rng.below(4) {
                    let line = if chance(rng, 50) {
                        sim_line(rng)
                    } else {
                        kubectl_line(rng)
                    };
                    recording.record(
                        kubeplay_core::clock::to_millis(
                            jiff::Timestamp::from_second(1_767_603_600 + at as i64 * 30)
                                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
                        ),
                        &line,
                        "",
                    );
                }
                let link = recording.encode();
                if chance(rng, 50) {
                    damage(rng, &link)
                } else {
                    link
                }
            },
            check: |input| {
                let Ok(recording) = Recording::decode(input) else {
                    return Ok(());
                };
                let cluster = recording
                    .replay()
                    .map_err(|error| format!("a link that decodes does not replay: {error}"))?;
                let saved = cluster.save_state();
                match Cluster::load_state(&saved) {
                    Ok(again) if again.save_state() == saved => Ok(()),
                    _ => Err("a replayed link's cluster does not reload the same".into()),
                }
            },
        },
        Target {
            name: "lesson",
            generate: |rng| {
                let lesson = BUILT_IN[rng.below(BUILT_IN.len() as u64) as usize].text;
                if chance(rng, 30) {
                    damage(rng, lesson)
                } else {
                    mutate_yaml(rng, lesson)
                }
            },
            check: |input| {
                let Ok(lesson) = Lesson::parse(input) else {
                    return Ok(());
                };
                let Ok(cluster) = lesson.start() else {
                    return Ok(());
                };
                let before = cluster.save_state();
                if let Some(step) = lesson.steps.first() {
                    check::run(&cluster, &step.check);
                }
                if cluster.save_state() != before {
                    return Err("a check changed the learner's cluster".into());
                }
                Ok(())
            },
        },
    ]
}

/// Inputs that once failed, one per line as `target<TAB>input` with `\n` written as `\\n`.
pub fn regressions() -> Vec<(String, String)> {
    include_str!("regressions.txt")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .map(|(target, input)| (target.to_string(), input.replace("\\n", "\n")))
        .collect()
}
