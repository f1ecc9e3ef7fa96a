//! The manifests the editor offers: what tutorials teach, one file each under `web/examples/`.

/// One ready manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The file under `web/examples/`.
    pub file: &'static str,
    pub title: &'static str,
    /// The kind it creates, for grouping.
    pub kind: &'static str,
    pub manifest: &'static str,
}

macro_rules! example {
    ($file:literal, $kind:literal, $title:literal) => {
        Example {
            file: $file,
            title: $title,
            kind: $kind,
            manifest: include_str!(concat!("../../../web/examples/", $file)),
        }
    };
}

pub const EXAMPLES: [Example; 9] = [
    example!(
        "fluentd-elasticsearch.yaml",
        "DaemonSet",
        "Log collector on every node, control plane too"
    ),
    example!(
        "fluentd-ssd.yaml",
        "DaemonSet",
        "fluentd on disktype=ssd nodes only"
    ),
    example!(
        "httpd-rolling-update.yaml",
        "DaemonSet",
        "httpd to roll out (maxUnavailable 1)"
    ),
    example!("db-migration-job.yaml", "Job", "Database migration"),
    example!(
        "pi-parallel-job.yaml",
        "Job",
        "pi: completions 10, parallelism 3"
    ),
    example!("work-queue-job.yaml", "Job", "Work queue (parallelism 2)"),
    example!("indexed-job.yaml", "Job", "Indexed Job (5 completions)"),
    example!(
        "nightly-backup-cronjob.yaml",
        "CronJob",
        "Nightly backup at 02:00 (Forbid)"
    ),
    example!("hello-cronjob.yaml", "CronJob", "hello every 15 minutes"),
];

#[cfg(test)]
mod tests {
    use kubeplay_core::Cluster;
    use kubeplay_core::api::Kind;
    use kubeplay_core::kubectl::apply::dry_run;

    use super::*;

    #[test]
    fn every_example_applies_cleanly_on_a_fresh_cluster() {
        for example in EXAMPLES {
            let mut cluster = Cluster::default_cluster();
            for checked in dry_run(&cluster, example.manifest) {
                assert!(checked.ok, "{}: {checked:?}", example.file);
            }
            let output = cluster.exec("kubectl apply -f -", example.manifest);
            assert_eq!(
                (output.exit_code, output.stderr.as_str()),
                (0, ""),
                "{}",
                example.file
            );
            assert!(
                output.stdout.ends_with(" created\n"),
                "{}: {output:?}",
                example.file
            );
            assert!(
                output.stdout.starts_with(&example.kind.to_lowercase()),
                "{}: {}",
                example.file,
                output.stdout
            );
            // The objects run: nothing they do is refused later.
            cluster.advance(60_000);
            let warnings = cluster
                .store()
                .list_any(Kind::Event, None)
                .into_iter()
                .filter_map(|event| match event {
                    kubeplay_core::api::AnyObject::Event(event) => Some(event),
                    _ => None,
                })
                .filter(|event| event.type_.as_deref() == Some("Warning"))
                .map(|event| event.message.clone().unwrap_or_default())
                .collect::<Vec<_>>();
            assert_eq!(warnings, Vec::<String>::new(), "{}", example.file);
        }
    }

    #[test]
    fn the_log_collector_runs_on_every_node_and_fluentd_waits_for_ssd() {
        let mut cluster = Cluster::default_cluster();
        cluster.exec("kubectl apply -f -", EXAMPLES[0].manifest);
        cluster.exec("kubectl apply -f -", EXAMPLES[1].manifest);
        cluster.advance(10_000);
        let pods = |cluster: &mut Cluster, line: &str| cluster.exec(line, "").stdout;
        let collectors = pods(
            &mut cluster,
            "kubectl get pods -n kube-system -l name=fluentd-elasticsearch -o name",
        );
        assert_eq!(collectors.lines().count(), 4, "{collectors}");
        assert_eq!(
            pods(&mut cluster, "kubectl get pods -l app=fluentd -o name"),
            ""
        );
        cluster.exec("kubectl label nodes node-1 disktype=ssd", "");
        cluster.advance(10_000);
        let wide = pods(&mut cluster, "kubectl get pods -l app=fluentd -o wide");
        assert!(wide.contains("node-1"), "{wide}");
    }

    #[test]
    fn the_examples_are_distinct_files() {
        let mut files: Vec<&str> = EXAMPLES.iter().map(|example| example.file).collect();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), EXAMPLES.len());
    }
}
