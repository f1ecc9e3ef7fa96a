//! `kubectl create job NAME --image=IMAGE [-- COMMAND [ARGS...]]` (kubectl `create_job.go`):
//! one container named after the Job, restartPolicy Never, everything else defaulted by the
//! API server.

use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::Args;
use super::{Output, namespace, printers};
use crate::api::to_json;
use crate::cluster::Cluster;

const KNOWN_FLAGS: &[&str] = &[
    "image",
    "from",
    "dry-run",
    "output",
    "save-config",
    "validate",
];

pub fn create_job(cluster: &mut Cluster, args: &Args) -> Output {
    if let Some(message) = args.unknown_flags(KNOWN_FLAGS) {
        return Output::failure(message);
    }
    // `NameFromCommandArgs`: exactly one word before `--`.
    let names = &args.positional[2..];
    if names.len() != 1 {
        return Output::failure(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create job -h' for help and examples",
            names.len()
        ));
    }
    let name = names[0].clone();
    let image = args.value("image").unwrap_or_default();
    let from = args.value("from").unwrap_or_default();
    if image.is_empty() == from.is_empty() {
        return Output::failure("error: either --image or --from must be specified");
    }
    if !from.is_empty() {
        if !args.trailing.is_empty() {
            return Output::failure("error: cannot specify --from and command");
        }
        return Output::failure("error: kubeplay cannot create a Job from a CronJob yet (--from)");
    }
    let job = Job {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace(args)),
            ..ObjectMeta::default()
        },
        spec: Some(JobSpec {
            template: PodTemplateSpec {
                metadata: None,
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: name.clone(),
                        image: Some(image.to_string()),
                        command: (!args.trailing.is_empty()).then(|| args.trailing.clone()),
                        ..Container::default()
                    }],
                    restart_policy: Some("Never".into()),
                    ..PodSpec::default()
                }),
            },
            ..JobSpec::default()
        }),
        status: None,
    };
    let dry_run = match args.value("dry-run") {
        None | Some("none") | Some("false") => None,
        Some("client") | Some("true") | Some("") => Some("dry run"),
        Some("server") => Some("server dry run"),
        Some(other) => {
            return Output::failure(format!(
                "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            ));
        }
    };
    let object = match dry_run {
        // A client dry run prints the Job as kubectl built it.
        Some("dry run") => job,
        Some(_) => {
            let mut scratch = cluster.clone();
            match scratch.act(|api| api.create(job)) {
                Ok(created) => created.as_ref().clone(),
                Err(error) => return Output::failure(error.to_string()),
            }
        }
        None => match cluster.act(|api| api.create(job)) {
            Ok(created) => created.as_ref().clone(),
            Err(error) => return Output::failure(error.to_string()),
        },
    };
    let mut output = Output::default();
    match args.value("output") {
        None | Some("") => {
            let suffix = dry_run.map(|mode| format!(" ({mode})")).unwrap_or_default();
            output.line(format!("job.batch/{name} created{suffix}"));
        }
        Some("name") => output.line(format!("job.batch/{name}")),
        Some("json") => output.out(printers::to_json(&to_json(&object))),
        Some("yaml") => output.out(printers::to_yaml(&to_json(&object))),
        Some(other) => {
            return Output::failure(format!(
                "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,yaml"
            ));
        }
    }
    output
}
