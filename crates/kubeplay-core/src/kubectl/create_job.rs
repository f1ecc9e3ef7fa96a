//! `kubectl create job` (kubectl `create_job.go`): `NAME --image=IMAGE [-- COMMAND [ARGS...]]`
//! makes one container named after the Job, restartPolicy Never, everything else defaulted by
//! the API server; `NAME --from=cronjob/CJ` runs a CronJob's template now, as a Job the CronJob
//! owns.

use std::collections::BTreeMap;

use k8s_openapi::api::batch::v1::{CronJob, Job, JobSpec};
use k8s_openapi::api::core::v1::{Container, PodSpec, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use super::args::Args;
use super::{Output, get_object, namespace, printers, targets};
use crate::api::{AnyObject, ApiObject, to_json};
use crate::cluster::Cluster;

/// The annotation that marks a Job started by hand from a CronJob.
const INSTANTIATE_ANNOTATION: &str = "cronjob.kubernetes.io/instantiate";

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
    let job = if from.is_empty() {
        job_from_image(&name, image, args)
    } else {
        if !args.trailing.is_empty() {
            return Output::failure("error: cannot specify --from and command");
        }
        match resolve_from(cluster, from, &namespace(args)) {
            Ok(cron_job) => job_from_cron_job(&name, &cron_job),
            Err(message) => return Output::failure(message),
        }
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
                "error: unable to match a printer suitable for the output format {}, allowed formats are: json,name,yaml",
                super::gofmt::go_quote(other)
            ));
        }
    }
    output
}

/// `--from=cronjob/NAME`, read as the builder reads `TYPE/NAME` (or `TYPE`, which must then
/// name exactly one object).
fn resolve_from(cluster: &Cluster, from: &str, namespace: &str) -> Result<CronJob, String> {
    let target = targets(&[from.to_string()])?
        .into_iter()
        .next()
        .ok_or_else(|| "error: from must be an existing cronjob".to_string())?;
    let objects: Vec<AnyObject> = match target.name {
        Some(name) => vec![get_object(cluster, target.kind, namespace, &name)?],
        None => cluster.store().list_any(target.kind, Some(namespace)),
    };
    match objects.as_slice() {
        [AnyObject::CronJob(cron_job)] => Ok(cron_job.as_ref().clone()),
        [other] => Err(format!(
            "error: unknown object type *v1.{}",
            other.kind().name()
        )),
        _ => Err("error: from must be an existing cronjob".into()),
    }
}

/// `createJobFromCronJob`: the template's labels, its annotations plus `instantiate: manual`,
/// its spec, and a controller reference without blockOwnerDeletion.
fn job_from_cron_job(name: &str, cron_job: &CronJob) -> Job {
    let template = cron_job
        .spec
        .as_ref()
        .map(|spec| spec.job_template.clone())
        .unwrap_or_default();
    let template_meta = template.metadata.unwrap_or_default();
    let mut annotations = BTreeMap::from([(INSTANTIATE_ANNOTATION.to_string(), "manual".into())]);
    annotations.extend(template_meta.annotations.unwrap_or_default());
    Job {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(cron_job.namespace().to_string()),
            annotations: Some(annotations),
            labels: template_meta.labels,
            owner_references: Some(vec![OwnerReference {
                api_version: "batch/v1".into(),
                kind: "CronJob".into(),
                name: cron_job.name().to_string(),
                uid: cron_job.uid().to_string(),
                controller: Some(true),
                block_owner_deletion: None,
            }]),
            ..ObjectMeta::default()
        },
        spec: template.spec,
        status: None,
    }
}

fn job_from_image(name: &str, image: &str, args: &Args) -> Job {
    Job {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace(args)),
            ..ObjectMeta::default()
        },
        spec: Some(JobSpec {
            template: PodTemplateSpec {
                metadata: None,
                spec: Some(PodSpec {
                    containers: vec![Container {
                        name: name.to_string(),
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
    }
}
