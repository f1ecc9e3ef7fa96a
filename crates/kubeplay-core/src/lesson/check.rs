//! Running a step's check. A check never touches the learner's cluster: it runs on a copy, so a
//! `kubectl wait` inside it moves the copy's clock, not the learner's. When it fails now, the copy
//! goes on through virtual time, instant by instant, to tell whether it would pass later (so the
//! page can offer "fast-forward 1m40s"); a horizon of one virtual hour on every copy means a check
//! can never hang, whatever its lines ask for.

use crate::clock::{HOUR, Millis};
use crate::cluster::Cluster;
use crate::shell::{self, CommandOutput};

/// How far ahead a check looks, in virtual time.
pub const CHECK_BOUND: Millis = HOUR;
/// How many later instants a check is run at before it gives up looking: each changed the
/// cluster, so this bounds the work of one check whatever the cluster does.
const MAX_PROBES: usize = 500;

/// What a check says about the learner's cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It passes now.
    Passes,
    /// It passes once this much virtual time has passed, if the learner does nothing else.
    PassesAfter(Millis),
    /// It does not pass within [`CHECK_BOUND`].
    Fails,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub verdict: Verdict,
    /// The output of the line that decided, run against the cluster as it is now: on a failure,
    /// what the learner can read to see why.
    pub output: CommandOutput,
    /// The line that decided.
    pub line: String,
}

impl CheckResult {
    pub fn passes_now(&self) -> bool {
        self.verdict == Verdict::Passes
    }
}

struct Attempt {
    passed: bool,
    output: CommandOutput,
    line: String,
    /// The copy's clock when the check ended: a `kubectl wait` moves it.
    ended: Millis,
}

/// Runs `script` on a copy of `cluster` whose time stops at `horizon`: every line in order, as
/// `set -e` would, so the first line that fails decides, else the last.
fn attempt(cluster: &Cluster, script: &[shell::Step], horizon: Millis) -> Attempt {
    let mut copy = cluster.clone();
    copy.set_horizon(horizon);
    let mut last = Attempt {
        passed: true,
        output: CommandOutput::default(),
        line: String::new(),
        ended: copy.now(),
    };
    for step in script {
        let output = copy.exec(&step.line, &step.stdin);
        let passed = output.exit_code == 0;
        last = Attempt {
            passed,
            output,
            line: step.line.clone(),
            ended: copy.now(),
        };
        if !passed {
            break;
        }
    }
    last
}

/// Checks `script` against `cluster`, which is left as it is.
pub fn run(cluster: &Cluster, script: &[shell::Step]) -> CheckResult {
    let start = cluster.now();
    let horizon = start.saturating_add(CHECK_BOUND);
    let now = attempt(cluster, script, horizon);
    if now.passed {
        let verdict = match now.ended - start {
            0 => Verdict::Passes,
            waited => Verdict::PassesAfter(waited),
        };
        return CheckResult {
            verdict,
            output: now.output,
            line: now.line,
        };
    }
    // Look ahead on a copy of our own. Between two instants where an object changed, a check sees
    // the same cluster, so it only runs again where one did.
    let mut ahead = cluster.clone();
    ahead.set_horizon(horizon);
    let mut seen = ahead.api().resource_version();
    let mut probes = 0;
    let mut verdict = Verdict::Fails;
    while probes < MAX_PROBES && ahead.step() {
        let version = ahead.api().resource_version();
        if version == seen {
            continue;
        }
        seen = version;
        probes += 1;
        let later = attempt(&ahead, script, horizon);
        if later.passed {
            verdict = Verdict::PassesAfter(later.ended - start);
            break;
        }
    }
    CheckResult {
        verdict,
        output: now.output,
        line: now.line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::SECOND;
    use crate::shell::parse_script;

    fn script(text: &str) -> Vec<shell::Step> {
        parse_script(text).unwrap()
    }

    #[test]
    fn a_check_never_touches_the_learners_cluster() {
        let mut cluster = Cluster::default_cluster();
        let output = cluster.exec(
            "kubectl create job work --image=busybox -- sh -c 'sleep 30'",
            "",
        );
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let before = cluster.save_state();
        let result = run(
            &cluster,
            &script(
                "kubectl label node node-1 checked=yes\nkubectl wait job/work --for=condition=complete --timeout=2m\n",
            ),
        );
        // The Job completes 32 s on (2 s to start, 30 s to run) plus the Job controller's second.
        assert!(
            matches!(result.verdict, Verdict::PassesAfter(after) if (30 * SECOND..=40 * SECOND).contains(&after)),
            "{result:?}"
        );
        assert_eq!(cluster.save_state(), before);
    }

    #[test]
    fn a_check_that_fails_now_says_when_it_would_pass() {
        let mut cluster = Cluster::default_cluster();
        cluster.exec(
            "kubectl create job work --image=busybox -- sh -c 'sleep 90'",
            "",
        );
        let check = script(
            "kubectl get job work -o jsonpath={.status.succeeded}\nkubectl wait job/work --for=condition=complete --timeout=0s\n",
        );
        let result = run(&cluster, &check);
        let Verdict::PassesAfter(after) = result.verdict else {
            panic!("{result:?}");
        };
        assert!((90 * SECOND..=95 * SECOND).contains(&after), "{after}");
        assert!(result.output.stderr.contains("timed out"), "{result:?}");
        // The learner's clock, moved by exactly that, passes.
        cluster.advance(after);
        assert_eq!(run(&cluster, &check).verdict, Verdict::Passes);
    }

    #[test]
    fn checks_that_would_hang_stop_at_the_bound() {
        let mut cluster = Cluster::default_cluster();
        cluster.exec(
            "kubectl create job forever --image=busybox -- sleep infinity",
            "",
        );
        let start = cluster.now();
        for text in [
            "sim advance 99999999h\nkubectl get job never",
            "kubectl wait job/forever --for=condition=complete --timeout=9999h",
            "kubectl delete job forever --wait --timeout=99999h\nkubectl get job forever",
        ] {
            let result = run(&cluster, &script(text));
            assert_eq!(result.verdict, Verdict::Fails, "{text}: {result:?}");
        }
        assert_eq!(cluster.now(), start);
    }
}
