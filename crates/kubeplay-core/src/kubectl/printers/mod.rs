//! `kubectl get` output. Tables follow the server-side printers (k8s `pkg/printers/internalversion`
//! `printPod`, `printNode`, ...), decorated and laid out as cli-runtime's `HumanReadablePrinter`
//! does (`decorateTable`, `printTable`); `-o json`, `-o yaml` and `-o jsonpath` follow cli-runtime's
//! `JSONPrinter`, `YAMLPrinter` and `JSONPathPrinter`.

mod event;
mod json;
mod jsonpath;
mod namespace;
mod node;
mod pod;
mod workloads;
mod yaml;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use crate::api::labels::Selector;
use crate::api::{AnyObject, Kind};
use crate::apiserver::ApiServer;
use crate::clock::Millis;

use super::tabwriter::{self, escape_terminal};

pub use event::{EventColumns, event_columns, last_seen as event_last_seen};
pub use json::to_json;
pub use jsonpath::{check as check_jsonpath, jsonpath, jsonpath_with};
pub use node::{find_node_roles, node_status};
pub use pod::{PodSummary, pod_summary};
pub use yaml::to_yaml;

/// How `kubectl get` asked for the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableOptions {
    /// `-o wide`: the columns of priority 1 too.
    pub wide: bool,
    /// `--show-labels`: a LABELS column last.
    pub show_labels: bool,
    /// `-A`: a NAMESPACE column first.
    pub with_namespace: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// Names as `kind.group/name`, as `kubectl get all` and several kinds at once print them.
    pub with_kind_prefix: bool,
    /// `-L key`: one column per label key, headed by the key's last path segment.
    pub label_columns: Vec<String>,
}

/// A printer's column definition: its name and whether only `-o wide` shows it (priority 1).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    name: &'static str,
    wide: bool,
}

const fn column(name: &'static str) -> Column {
    Column { name, wide: false }
}

const fn wide(name: &'static str) -> Column {
    Column { name, wide: true }
}

/// The table `kubectl get <kind>` prints for these objects (all of one kind), headers included
/// unless `no_headers`. Nothing at all when there are no objects: kubectl then says
/// "No resources found" on stderr, which is the command layer's to print.
pub fn print_table(
    api: &ApiServer,
    kind: Kind,
    objects: &[AnyObject],
    options: &TableOptions,
) -> String {
    let now = api.now();
    let (columns, name_column) = columns_of(kind);
    let rows: Vec<(Vec<String>, &AnyObject)> = objects
        .iter()
        .filter(|object| object.kind() == kind)
        .map(|object| (cells_of(now, object), object))
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let visible: Vec<(usize, &Column)> = columns
        .iter()
        .enumerate()
        .filter(|(_, column)| options.wide || !column.wide)
        .collect();
    let mut text = String::new();
    if !options.no_headers {
        let mut headers: Vec<String> = Vec::new();
        if options.with_namespace {
            headers.push("NAMESPACE".into());
        }
        headers.extend(visible.iter().map(|(_, column)| column.name.to_uppercase()));
        headers.extend(options.label_columns.iter().map(|key| label_header(key)));
        if options.show_labels {
            headers.push("LABELS".into());
        }
        push_row(&mut text, &headers);
    }
    let prefix = options.with_kind_prefix.then(|| kind.qualified_singular());
    for (cells, object) in rows {
        let mut row: Vec<String> = Vec::new();
        if options.with_namespace {
            row.push(object.namespace().to_string());
        }
        for (index, _) in &visible {
            let cell = cells.get(*index).cloned().unwrap_or_default();
            match &prefix {
                Some(prefix) if *index == name_column => row.push(format!("{prefix}/{cell}")),
                _ => row.push(cell),
            }
        }
        let labels = crate::api::meta::labels(object.meta());
        for key in &options.label_columns {
            row.push(labels.get(key).cloned().unwrap_or_default());
        }
        if options.show_labels {
            row.push(format_labels(labels));
        }
        let row: Vec<String> = row.iter().map(|cell| table_cell(cell)).collect();
        push_row(&mut text, &row);
    }
    tabwriter::TABLE.format(&text)
}

/// One object's row as `kubectl get` prints it without `-o wide`: each column's header and cell,
/// for a front end that lays the table out itself.
pub fn table_row(now: Millis, object: &AnyObject) -> Vec<(String, String)> {
    let (columns, _) = columns_of(object.kind());
    columns
        .iter()
        .zip(cells_of(now, object))
        .filter(|(column, _)| !column.wide)
        .map(|(column, cell)| (column.name.to_uppercase(), table_cell(&cell)))
        .collect()
}

fn push_row(text: &mut String, cells: &[String]) {
    text.push_str(&cells.join("\t"));
    text.push('\n');
}

/// `formatLabelHeaders`: `-L app.kubernetes.io/name` heads its column `NAME`.
fn label_header(key: &str) -> String {
    key.rsplit('/').next().unwrap_or(key).to_uppercase()
}

/// `appendCellValue`: a cell ends at its first line break (with `...`), control characters escaped.
fn table_cell(cell: &str) -> String {
    match cell.find(['\x0c', '\n', '\r']) {
        Some(end) => format!("{}...", escape_terminal(&cell[..end])),
        None => escape_terminal(cell),
    }
}

/// Each kind's columns, and which one holds the name (`Format: "name"`). Like the API server's
/// table conversion, the printers fill every column; the client hides the wide ones.
fn columns_of(kind: Kind) -> (&'static [Column], usize) {
    match kind {
        Kind::Namespace => (namespace::COLUMNS, 0),
        Kind::Node => (node::COLUMNS, 0),
        Kind::Pod => (pod::COLUMNS, 0),
        Kind::Event => (event::COLUMNS, event::NAME_COLUMN),
        Kind::DaemonSet => (workloads::DAEMON_SET_COLUMNS, 0),
        Kind::ControllerRevision => (workloads::CONTROLLER_REVISION_COLUMNS, 0),
        Kind::Job => (workloads::JOB_COLUMNS, 0),
        Kind::CronJob => (workloads::CRON_JOB_COLUMNS, 0),
    }
}

fn cells_of(now: Millis, object: &AnyObject) -> Vec<String> {
    match object {
        AnyObject::Namespace(namespace) => namespace::cells(now, namespace),
        AnyObject::Node(node) => node::cells(now, node),
        AnyObject::Pod(pod) => pod::cells(now, pod),
        AnyObject::Event(event) => event::cells(now, event),
        AnyObject::DaemonSet(daemon_set) => workloads::daemon_set_cells(now, daemon_set),
        AnyObject::ControllerRevision(revision) => {
            workloads::controller_revision_cells(now, revision)
        }
        AnyObject::Job(job) => workloads::job_cells(now, job),
        AnyObject::CronJob(cron_job) => workloads::cron_job_cells(now, cron_job),
    }
}

/// apimachinery `labels.FormatLabels`: `k=v,k2=v2` in key order, `<none>` when empty.
pub(crate) fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// metav1 `FormatLabelSelector`: the selector's string, `<none>` when empty, `<error>` when invalid.
pub(crate) fn format_label_selector(selector: Option<&LabelSelector>) -> String {
    match Selector::from_label_selector(selector) {
        Ok(selector) => {
            let text = selector.to_string();
            if text.is_empty() {
                "<none>".into()
            } else {
                text
            }
        }
        Err(_) => "<error>".into(),
    }
}

/// `layoutContainerCells` of a pod template's containers: names and images, each joined with commas.
fn layout_container_cells(template: Option<&PodSpec>) -> (String, String) {
    let containers = template
        .map(|spec| spec.containers.as_slice())
        .unwrap_or_default();
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers
        .iter()
        .map(|c| c.image.as_deref().unwrap_or_default())
        .collect();
    (names.join(","), images.join(","))
}

/// `printBoolPtr`.
pub(crate) fn bool_ptr(value: Option<bool>) -> String {
    match value {
        Some(true) => "True".into(),
        Some(false) => "False".into(),
        None => "<unset>".into(),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

    use crate::apiserver::ApiServer;
    use crate::clock;

    /// 2026-01-05T09:00:00Z, the default cluster start.
    pub const START: i64 = 1_767_603_600_000;

    pub fn api_at(now: i64) -> ApiServer {
        ApiServer::new(now, 1)
    }

    pub fn time(millis: i64) -> Time {
        Time(clock::to_timestamp(millis))
    }

    pub fn meta(namespace: &str, name: &str, created: i64) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.into()),
            namespace: (!namespace.is_empty()).then(|| namespace.to_string()),
            creation_timestamp: Some(time(created)),
            uid: Some(format!("uid-{name}")),
            ..ObjectMeta::default()
        }
    }
}
