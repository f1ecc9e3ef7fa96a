//! What a daemon pod looks like and which nodes should run one (upstream's
//! `pkg/controller/daemon/util/daemonset_util.go` and `NodeShouldRunDaemonPod`), plus the
//! explanation the UI shows for a node without the DaemonSet's pod.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod,
    PodSpec, PodTemplateSpec, Taint, Toleration,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::api::{ApiObject, meta};
use crate::apiserver::ApiServer;
use crate::apiserver::registry::daemonset::TEMPLATE_GENERATION_ANNOTATION;
use crate::apiserver::registry::pod::phase;
use crate::clock::{Millis, SECOND};
use crate::controller::nodelifecycle::{TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE};
use crate::controller::tainteviction::TaintEvictionController;
use crate::kubectl::describe::taint_string;
use crate::scheduler::{nodeaffinity, taints};

/// `apps.DefaultDaemonSetUniqueLabelKey` (= `ControllerRevisionHashLabelKey`).
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// `extensions.DaemonSetTemplateGenerationKey`.
pub const POD_TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";

const TAINT_DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
const TAINT_MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
const TAINT_PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
const TAINT_NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";

/// `GetTemplateGeneration`: the deprecated annotation, None when absent or unparseable.
pub fn get_template_generation(ds: &DaemonSet) -> Option<i64> {
    meta::annotations(&ds.metadata)
        .get(TEMPLATE_GENERATION_ANNOTATION)?
        .parse()
        .ok()
}

fn exists_toleration(key: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.into()),
        operator: Some("Exists".into()),
        effect: Some(effect.into()),
        ..Toleration::default()
    }
}

/// `v1helper.AddOrUpdateTolerationInPodSpec`: a toleration matching on key, operator, value and
/// effect is replaced (so a `tolerationSeconds` is dropped), otherwise it is appended.
fn add_or_update_toleration(tolerations: &mut Vec<Toleration>, toleration: Toleration) {
    let same = |existing: &Toleration| {
        existing.key == toleration.key
            && existing.operator == toleration.operator
            && existing.value == toleration.value
            && existing.effect == toleration.effect
    };
    match tolerations.iter_mut().find(|existing| same(existing)) {
        Some(existing) => *existing = toleration,
        None => tolerations.push(toleration),
    }
}

/// `AddOrUpdateDaemonPodTolerations`: daemon pods survive node problems and cordons.
pub fn add_or_update_daemon_pod_tolerations(spec: &mut PodSpec) {
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for (key, effect) in [
        (TAINT_NOT_READY, "NoExecute"),
        (TAINT_UNREACHABLE, "NoExecute"),
        (TAINT_DISK_PRESSURE, "NoSchedule"),
        (TAINT_MEMORY_PRESSURE, "NoSchedule"),
        (TAINT_PID_PRESSURE, "NoSchedule"),
        (TAINT_UNSCHEDULABLE, "NoSchedule"),
    ] {
        add_or_update_toleration(tolerations, exists_toleration(key, effect));
    }
    if spec.host_network == Some(true) {
        add_or_update_toleration(
            tolerations,
            exists_toleration(TAINT_NETWORK_UNAVAILABLE, "NoSchedule"),
        );
    }
}

/// `CreatePodTemplate`: the template with the daemon tolerations and the generation and hash labels.
pub fn create_pod_template(
    template: &PodTemplateSpec,
    generation: Option<i64>,
    hash: &str,
) -> PodTemplateSpec {
    let mut template = template.clone();
    add_or_update_daemon_pod_tolerations(template.spec.get_or_insert_with(PodSpec::default));
    let labels = template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    if let Some(generation) = generation {
        labels.insert(POD_TEMPLATE_GENERATION_LABEL.into(), generation.to_string());
    }
    if !hash.is_empty() {
        labels.insert(CONTROLLER_REVISION_HASH_LABEL.into(), hash.into());
    }
    template
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: the required node affinity becomes one term pinning
/// the pod to `node_name` by `metadata.name`; preferred terms and pod (anti-)affinity stay.
pub fn replace_daemon_set_pod_node_name_node_affinity(
    affinity: Option<Affinity>,
    node_name: &str,
) -> Affinity {
    let selector = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "In".into(),
                values: Some(vec![node_name.to_string()]),
            }]),
        }],
    };
    let mut affinity = affinity.unwrap_or_default();
    affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default)
        .required_during_scheduling_ignored_during_execution = Some(selector);
    affinity
}

/// `GetTargetNodeName`: the bound node, or the node a pending pod's `metadata.name` term names.
pub fn get_target_node_name(pod: &Pod) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    if let Some(node) = spec.node_name.as_ref().filter(|node| !node.is_empty()) {
        return Some(node.clone());
    }
    let terms = &nodeaffinity::required_selector(spec)?.node_selector_terms;
    terms
        .iter()
        .flat_map(|term| term.match_fields.iter().flatten())
        .find(|field| field.key == "metadata.name" && field.operator == "In")
        .and_then(|field| match field.values.as_deref() {
            Some([only]) => Some(only.clone()),
            _ => None,
        })
}

/// `IsPodUpdated`: the pod carries the current hash, or the DaemonSet's template generation
/// (given as the label value, `get_template_generation` formatted once per sync).
pub fn is_pod_updated(pod: &Pod, hash: &str, template_generation: Option<&str>) -> bool {
    let labels = meta::labels(&pod.metadata);
    let template_matches = template_generation.is_some_and(|generation| {
        labels
            .get(POD_TEMPLATE_GENERATION_LABEL)
            .map(String::as_str)
            == Some(generation)
    });
    let hash_matches = !hash.is_empty()
        && labels
            .get(CONTROLLER_REVISION_HASH_LABEL)
            .map(String::as_str)
            == Some(hash);
    hash_matches || template_matches
}

fn is_rolling_update(ds: &DaemonSet) -> bool {
    ds.spec
        .as_ref()
        .and_then(|spec| spec.update_strategy.as_ref())
        .and_then(|strategy| strategy.type_.as_deref())
        == Some("RollingUpdate")
}

fn rolling_value(ds: &DaemonSet, surge: bool) -> Option<&IntOrString> {
    let rolling = ds
        .spec
        .as_ref()?
        .update_strategy
        .as_ref()?
        .rolling_update
        .as_ref()?;
    if surge {
        rolling.max_surge.as_ref()
    } else {
        rolling.max_unavailable.as_ref()
    }
}

/// `intstr.GetScaledValueFromIntOrPercent` with round-up: an int as is, `N%` of `total` rounded up.
pub fn scaled_value(value: &IntOrString, total: usize) -> Result<usize, String> {
    match value {
        IntOrString::Int(value) => Ok((*value).max(0) as usize),
        IntOrString::String(text) => {
            let percent = text
                .strip_suffix('%')
                .and_then(|number| number.parse::<i64>().ok())
                .ok_or_else(|| format!("invalid value for IntOrString: invalid value {text:?}"))?;
            Ok((percent.max(0) as usize * total).div_ceil(100))
        }
    }
}

/// `SurgeCount`: 0 unless RollingUpdate with a maxSurge.
pub fn surge_count(ds: &DaemonSet, number_to_schedule: usize) -> Result<usize, String> {
    if !is_rolling_update(ds) {
        return Ok(0);
    }
    rolling_value(ds, true).map_or(Ok(0), |value| scaled_value(value, number_to_schedule))
}

/// `UnavailableCount`: 0 unless RollingUpdate with a maxUnavailable.
pub fn unavailable_count(ds: &DaemonSet, number_to_schedule: usize) -> Result<usize, String> {
    if !is_rolling_update(ds) {
        return Ok(0);
    }
    rolling_value(ds, false).map_or(Ok(0), |value| scaled_value(value, number_to_schedule))
}

/// `AllowsSurge`.
pub fn allows_surge(ds: &DaemonSet) -> bool {
    surge_count(ds, 1).is_ok_and(|surge| surge > 0)
}

/// The pod `NewPod(ds, node)` would build, reduced to what the placement rules read: the template's
/// nodeName, its required node affinity and nodeSelector, and its tolerations with the daemon ones.
/// Built once per DaemonSet and checked against every node, so a sync over thousands of nodes
/// copies the template once.
pub struct DaemonPodPredicates<'a> {
    template_node_name: Option<&'a str>,
    spec: Option<&'a PodSpec>,
    tolerations: Vec<Toleration>,
}

/// Why a node does not qualify for a DaemonSet's pod, in the terms the rules use.
#[derive(Debug, Clone, PartialEq)]
pub enum Unfit {
    /// The template sets `nodeName` to another node.
    NodeName(String),
    /// A nodeSelector entry the node's labels do not satisfy (`actual` is the node's value).
    NodeSelector {
        key: String,
        wanted: String,
        actual: Option<String>,
    },
    /// No required node affinity term matches; the first unmet requirement of each term.
    NodeAffinity(Vec<String>),
    /// A NoSchedule or NoExecute taint the pod does not tolerate.
    Taint(Taint),
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unfit::NodeName(name) => write!(f, "the pod template's nodeName is {name:?}"),
            Unfit::NodeSelector {
                key,
                wanted,
                actual: Some(actual),
            } => write!(
                f,
                "nodeSelector {key}={wanted} does not match the node's label {key}={actual}"
            ),
            Unfit::NodeSelector {
                key,
                wanted,
                actual: None,
            } => write!(
                f,
                "nodeSelector {key}={wanted} does not match: the node has no label {key}"
            ),
            Unfit::NodeAffinity(unmet) if unmet.is_empty() => {
                write!(f, "required node affinity has no term that can match")
            }
            Unfit::NodeAffinity(unmet) => write!(
                f,
                "required node affinity does not match: {}",
                unmet.join("; or ")
            ),
            Unfit::Taint(taint) => write!(
                f,
                "the node has the taint {} that the pod does not tolerate",
                taint_string(taint)
            ),
        }
    }
}

impl<'a> DaemonPodPredicates<'a> {
    pub fn new(ds: &'a DaemonSet) -> DaemonPodPredicates<'a> {
        let spec = ds
            .spec
            .as_ref()
            .and_then(|spec| spec.template.spec.as_ref());
        let mut pod_spec = PodSpec {
            tolerations: spec.and_then(|spec| spec.tolerations.clone()),
            host_network: spec.and_then(|spec| spec.host_network),
            ..PodSpec::default()
        };
        add_or_update_daemon_pod_tolerations(&mut pod_spec);
        DaemonPodPredicates {
            template_node_name: spec
                .and_then(|spec| spec.node_name.as_deref())
                .filter(|name| !name.is_empty()),
            spec,
            tolerations: pod_spec.tolerations.unwrap_or_default(),
        }
    }

    /// `NodeShouldRunDaemonPod`: (shouldRun, shouldContinueRunning).
    pub fn check(&self, node: &Node) -> (bool, bool) {
        if self
            .template_node_name
            .is_some_and(|name| name != node.metadata.name.as_deref().unwrap_or_default())
        {
            return (false, false);
        }
        if let Some(spec) = self.spec
            && !nodeaffinity::matches_required(spec, node)
        {
            return (false, false);
        }
        let node_taints = node_taints(node);
        if taints::find_untolerated(node_taints, &self.tolerations, taints::is_scheduling_effect)
            .is_none()
        {
            return (true, true);
        }
        let untolerated_no_execute =
            taints::find_untolerated(node_taints, &self.tolerations, |taint| {
                taint.effect == "NoExecute"
            })
            .is_some();
        (false, !untolerated_no_execute)
    }

    /// Every reason the node does not qualify, in the order the rules are checked.
    pub fn unfit_reasons(&self, node: &Node) -> Vec<Unfit> {
        let node_name = node.metadata.name.as_deref().unwrap_or_default();
        let mut reasons = Vec::new();
        if let Some(name) = self.template_node_name.filter(|name| *name != node_name) {
            reasons.push(Unfit::NodeName(name.to_string()));
        }
        let labels = meta::labels(&node.metadata);
        if let Some(spec) = self.spec {
            for (key, wanted) in spec.node_selector.iter().flatten() {
                if labels.get(key) != Some(wanted) {
                    reasons.push(Unfit::NodeSelector {
                        key: key.clone(),
                        wanted: wanted.clone(),
                        actual: labels.get(key).cloned(),
                    });
                }
            }
            if let Some(selector) = nodeaffinity::required_selector(spec)
                && !nodeaffinity::selector_matches_node(selector, node)
            {
                let unmet = selector
                    .node_selector_terms
                    .iter()
                    .filter_map(|term| first_unmet_requirement(term, node))
                    .collect();
                reasons.push(Unfit::NodeAffinity(unmet));
            }
        }
        for taint in node_taints(node) {
            if taints::is_scheduling_effect(taint)
                && !taints::tolerated_by(taint, &self.tolerations)
            {
                reasons.push(Unfit::Taint(taint.clone()));
            }
        }
        reasons
    }
}

/// `NodeShouldRunDaemonPod(node, ds)`: (shouldRun, shouldContinueRunning).
pub fn node_should_run_daemon_pod(node: &Node, ds: &DaemonSet) -> (bool, bool) {
    DaemonPodPredicates::new(ds).check(node)
}

pub fn node_taints(node: &Node) -> &[Taint] {
    node.spec
        .as_ref()
        .and_then(|spec| spec.taints.as_deref())
        .unwrap_or_default()
}

/// Why a node runs no pod of a DaemonSet, or is about to lose it: the rule that decides, with the
/// label, taint or wait it comes down to.
#[derive(Debug, Clone, PartialEq)]
pub enum NoDaemonPod {
    NoSuchNode(String),
    /// The node does not qualify (`NodeShouldRunDaemonPod`). `pod` is a pod of the DaemonSet
    /// still on the node: kept as misscheduled when `keeps_running` (a NoSchedule taint or a
    /// cordon came after it), being removed otherwise.
    Unfit {
        reasons: Vec<Unfit>,
        pod: Option<String>,
        keeps_running: bool,
    },
    /// A DaemonSet being deleted creates no pods.
    DaemonSetDeleting,
    /// The previous pod is terminating; the replacement is created once it is gone.
    Terminating {
        pod: String,
    },
    /// The node qualifies; the controller creates the pod on its next sync.
    NotCreated,
    /// The pod waits for the scheduler; `message` is its PodScheduled=False message, such as
    /// `0/4 nodes are available: 1 Insufficient cpu, ...`.
    Pending {
        pod: String,
        message: Option<String>,
    },
    /// The pod failed; the controller deletes it and creates another, backing off per node.
    Failed {
        pod: String,
    },
    /// The pod exited; the controller replaces it.
    Succeeded {
        pod: String,
    },
    /// The pod runs, but tolerates the node's NoExecute `taint` only for `toleration_seconds`:
    /// the taint eviction controller deletes it at `at`.
    Evicting {
        pod: String,
        taint: Taint,
        toleration_seconds: i64,
        at: Millis,
    },
}

impl NoDaemonPod {
    /// Whole seconds left before an eviction, rounded up; None for the other reasons.
    pub fn eviction_seconds_left(&self, now: Millis) -> Option<i64> {
        match self {
            NoDaemonPod::Evicting { at, .. } => Some(((at - now).max(0) + SECOND - 1) / SECOND),
            _ => None,
        }
    }
}

impl fmt::Display for NoDaemonPod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoDaemonPod::NoSuchNode(name) => write!(f, "There is no node {name}."),
            NoDaemonPod::Unfit {
                reasons,
                pod,
                keeps_running,
            } => {
                let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
                let reasons = reasons.join("; ");
                match pod {
                    Some(pod) if *keeps_running => write!(
                        f,
                        "Pod {pod} keeps running but counts as misscheduled: {reasons}. No new pod would be created here."
                    ),
                    Some(pod) => write!(f, "Pod {pod} is being removed: {reasons}."),
                    None => write!(f, "No pod here: {reasons}."),
                }
            }
            NoDaemonPod::DaemonSetDeleting => {
                write!(f, "The DaemonSet is being deleted; it creates no pods.")
            }
            NoDaemonPod::Terminating { pod } => write!(
                f,
                "Pod {pod} is terminating; its replacement is created once it is gone."
            ),
            NoDaemonPod::NotCreated => write!(
                f,
                "The node qualifies; the controller creates a pod on its next sync."
            ),
            NoDaemonPod::Pending {
                pod,
                message: Some(message),
            } => write!(f, "Pod {pod} is Pending: {message}"),
            NoDaemonPod::Pending { pod, message: None } => {
                write!(f, "Pod {pod} is waiting for the scheduler.")
            }
            NoDaemonPod::Failed { pod } => write!(
                f,
                "Pod {pod} failed; the controller deletes it (backing off 1s, doubling to 15m, per node) and creates a new one."
            ),
            NoDaemonPod::Succeeded { pod } => write!(
                f,
                "Pod {pod} exited; the controller deletes it and creates a new one."
            ),
            NoDaemonPod::Evicting {
                pod,
                taint,
                toleration_seconds,
                ..
            } => write!(
                f,
                "Pod {pod} tolerates the taint {} for {toleration_seconds}s only: the taint eviction controller deletes it when that time is up.",
                taint_string(taint)
            ),
        }
    }
}

/// Explains, node by node, why a DaemonSet has no running pod there. Built once per DaemonSet
/// (its pods grouped by target node, its placement rules prepared), then asked per node, so a
/// grid of a hundred nodes costs one pass over the DaemonSet's pods.
pub struct WhyNoDaemonPod<'a> {
    api: &'a ApiServer,
    evictions: Option<&'a TaintEvictionController>,
    deleting: bool,
    predicates: DaemonPodPredicates<'a>,
    pods_by_node: BTreeMap<String, Vec<&'a Arc<Pod>>>,
}

impl<'a> WhyNoDaemonPod<'a> {
    /// `evictions` is the taint eviction controller's memory of pending evictions; without it no
    /// eviction countdown is reported.
    pub fn new(
        api: &'a ApiServer,
        evictions: Option<&'a TaintEvictionController>,
        ds: &'a DaemonSet,
    ) -> WhyNoDaemonPod<'a> {
        let mut pods_by_node: BTreeMap<String, Vec<&'a Arc<Pod>>> = BTreeMap::new();
        for pod in api.table::<Pod>().controlled_by(ds.uid()) {
            if let Some(node) = get_target_node_name(pod) {
                pods_by_node.entry(node).or_default().push(pod);
            }
        }
        WhyNoDaemonPod {
            api,
            evictions,
            deleting: ds.metadata.deletion_timestamp.is_some(),
            predicates: DaemonPodPredicates::new(ds),
            pods_by_node,
        }
    }

    /// None when the node runs the DaemonSet's pod and keeps it.
    pub fn on(&self, node: &Node) -> Option<NoDaemonPod> {
        let node_name = node.metadata.name.as_deref().unwrap_or_default();
        let pods = self
            .pods_by_node
            .get(node_name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let active = pods
            .iter()
            .find(|pod| pod.metadata.deletion_timestamp.is_none());
        let (should_run, should_continue_running) = self.predicates.check(node);
        if !should_run {
            return Some(NoDaemonPod::Unfit {
                reasons: self.predicates.unfit_reasons(node),
                pod: active.map(|pod| pod.name().to_string()),
                keeps_running: should_continue_running,
            });
        }
        if self.deleting {
            return Some(NoDaemonPod::DaemonSetDeleting);
        }
        let Some(pod) = active else {
            return Some(match pods.first() {
                Some(terminating) => NoDaemonPod::Terminating {
                    pod: terminating.name().to_string(),
                },
                None => NoDaemonPod::NotCreated,
            });
        };
        let name = pod.name().to_string();
        let bound = pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.as_deref())
            .is_some_and(|name| !name.is_empty());
        if !bound {
            let message = pod
                .status
                .as_ref()
                .and_then(|status| status.conditions.as_ref())
                .and_then(|conditions| {
                    conditions
                        .iter()
                        .find(|condition| condition.type_ == "PodScheduled")
                })
                .and_then(|condition| condition.message.clone());
            return Some(NoDaemonPod::Pending { pod: name, message });
        }
        match phase(pod) {
            "Failed" => return Some(NoDaemonPod::Failed { pod: name }),
            "Succeeded" => return Some(NoDaemonPod::Succeeded { pod: name }),
            _ => {}
        }
        let at = self.evictions?.eviction_time(&pod.key())?;
        let (taint, toleration_seconds) = shortest_timed_toleration(pod, node)?;
        Some(NoDaemonPod::Evicting {
            pod: name,
            taint,
            toleration_seconds,
            at,
        })
    }

    /// The same question for a node named `node_name`, which may not exist.
    pub fn on_node_named(&self, node_name: &str) -> Option<NoDaemonPod> {
        match self.api.get::<Node>("", node_name) {
            Some(node) => self.on(node),
            None => Some(NoDaemonPod::NoSuchNode(node_name.to_string())),
        }
    }
}

/// The node's NoExecute taint whose toleration on the pod runs out first, with its seconds: what
/// the taint eviction controller's countdown waits for.
fn shortest_timed_toleration(pod: &Pod, node: &Node) -> Option<(Taint, i64)> {
    let tolerations = pod
        .spec
        .as_ref()
        .and_then(|spec| spec.tolerations.as_deref())
        .unwrap_or_default();
    node_taints(node)
        .iter()
        .filter(|taint| taint.effect == "NoExecute")
        .filter_map(|taint| {
            let seconds = tolerations
                .iter()
                .filter(|toleration| taints::tolerates(toleration, taint))
                .filter_map(|toleration| toleration.toleration_seconds)
                .min()?;
            Some((taint.clone(), seconds))
        })
        .min_by_key(|(_, seconds)| *seconds)
}

/// Why `node_name` has no running pod of `ds` (or is about to lose it); None when it runs one.
pub fn why_no_daemon_pod(
    api: &ApiServer,
    evictions: Option<&TaintEvictionController>,
    ds: &DaemonSet,
    node_name: &str,
) -> Option<NoDaemonPod> {
    WhyNoDaemonPod::new(api, evictions, ds).on_node_named(node_name)
}

/// The first requirement of a node selector term that `node` does not meet, written as in a manifest.
fn first_unmet_requirement(term: &NodeSelectorTerm, node: &Node) -> Option<String> {
    let describe = |requirement: &NodeSelectorRequirement| {
        let values = requirement.values.clone().unwrap_or_default();
        if values.is_empty() {
            format!("{} {}", requirement.key, requirement.operator)
        } else {
            format!(
                "{} {} [{}]",
                requirement.key,
                requirement.operator,
                values.join(", ")
            )
        }
    };
    let single = |requirement: &NodeSelectorRequirement, fields: bool| {
        let probe = NodeSelectorTerm {
            match_expressions: (!fields).then(|| vec![requirement.clone()]),
            match_fields: fields.then(|| vec![requirement.clone()]),
        };
        nodeaffinity::term_matches(&probe, node)
    };
    if term.match_expressions.as_ref().is_none_or(Vec::is_empty)
        && term.match_fields.as_ref().is_none_or(Vec::is_empty)
    {
        return Some("an empty term matches no node".into());
    }
    term.match_expressions
        .iter()
        .flatten()
        .find(|requirement| !single(requirement, false))
        .or_else(|| {
            term.match_fields
                .iter()
                .flatten()
                .find(|requirement| !single(requirement, true))
        })
        .map(describe)
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DaemonSetSpec;
    use k8s_openapi::api::core::v1::{Container, NodeSpec};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::*;

    fn ds(spec: PodSpec) -> DaemonSet {
        DaemonSet {
            metadata: ObjectMeta {
                name: Some("ds".into()),
                ..ObjectMeta::default()
            },
            spec: Some(DaemonSetSpec {
                template: PodTemplateSpec {
                    metadata: None,
                    spec: Some(PodSpec {
                        containers: vec![Container {
                            name: "c".into(),
                            image: Some("busybox".into()),
                            ..Container::default()
                        }],
                        ..spec
                    }),
                },
                ..DaemonSetSpec::default()
            }),
            status: None,
        }
    }

    fn node(name: &str, labels: &[(&str, &str)], node_taints: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(
                    labels
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..ObjectMeta::default()
            },
            spec: Some(NodeSpec {
                taints: Some(
                    node_taints
                        .iter()
                        .map(|(key, effect)| Taint {
                            key: key.to_string(),
                            effect: effect.to_string(),
                            ..Taint::default()
                        })
                        .collect(),
                ),
                ..NodeSpec::default()
            }),
            status: None,
        }
    }

    /// TestNodeShouldRunDaemonPod: selector, nodeName and taints decide; resources and ports do not.
    #[test]
    fn node_should_run_daemon_pod_cases() {
        let plain = ds(PodSpec::default());
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[], &[]), &plain),
            (true, true)
        );
        let selected = ds(PodSpec {
            node_selector: Some([("disktype".to_string(), "ssd".to_string())].into()),
            ..PodSpec::default()
        });
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[("disktype", "hdd")], &[]), &selected),
            (false, false)
        );
        let named = ds(PodSpec {
            node_name: Some("b".into()),
            ..PodSpec::default()
        });
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[], &[]), &named),
            (false, false)
        );
        assert_eq!(
            node_should_run_daemon_pod(&node("b", &[], &[]), &named),
            (true, true)
        );
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[], &[("gpu", "NoSchedule")]), &plain),
            (false, true)
        );
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[], &[("gpu", "NoExecute")]), &plain),
            (false, false)
        );
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[], &[("gpu", "PreferNoSchedule")]), &plain),
            (true, true)
        );
        // The daemon tolerations: cordoned, pressured and unreachable nodes still run the pod.
        for (key, effect) in [
            (TAINT_UNSCHEDULABLE, "NoSchedule"),
            (TAINT_DISK_PRESSURE, "NoSchedule"),
            (TAINT_UNREACHABLE, "NoExecute"),
            (TAINT_NOT_READY, "NoExecute"),
        ] {
            assert_eq!(
                node_should_run_daemon_pod(&node("a", &[], &[(key, effect)]), &plain),
                (true, true),
                "{key}:{effect}"
            );
        }
        // No toleration for not-ready:NoSchedule: kept, but misscheduled.
        assert_eq!(
            node_should_run_daemon_pod(&node("a", &[], &[(TAINT_NOT_READY, "NoSchedule")]), &plain),
            (false, true)
        );
        // network-unavailable is tolerated only with hostNetwork.
        let network = node("a", &[], &[(TAINT_NETWORK_UNAVAILABLE, "NoSchedule")]);
        assert_eq!(node_should_run_daemon_pod(&network, &plain), (false, true));
        let host = ds(PodSpec {
            host_network: Some(true),
            ..PodSpec::default()
        });
        assert_eq!(node_should_run_daemon_pod(&network, &host), (true, true));
    }

    #[test]
    fn explains_why_a_node_is_unfit() {
        let selected = ds(PodSpec {
            node_selector: Some([("disktype".to_string(), "ssd".to_string())].into()),
            ..PodSpec::default()
        });
        let predicates = DaemonPodPredicates::new(&selected);
        let reasons = predicates.unfit_reasons(&node(
            "a",
            &[("disktype", "hdd")],
            &[("dedicated", "NoSchedule")],
        ));
        let text: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "nodeSelector disktype=ssd does not match the node's label disktype=hdd",
                "the node has the taint dedicated:NoSchedule that the pod does not tolerate",
            ]
        );
        let reasons = predicates.unfit_reasons(&node("a", &[], &[]));
        assert_eq!(
            reasons[0].to_string(),
            "nodeSelector disktype=ssd does not match: the node has no label disktype"
        );
    }

    #[test]
    fn tolerations_are_added_or_replaced() {
        let mut spec = PodSpec {
            tolerations: Some(vec![Toleration {
                key: Some(TAINT_NOT_READY.into()),
                operator: Some("Exists".into()),
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(300),
                value: None,
            }]),
            ..PodSpec::default()
        };
        add_or_update_daemon_pod_tolerations(&mut spec);
        let tolerations = spec.tolerations.unwrap_or_default();
        assert_eq!(tolerations.len(), 6);
        assert_eq!(tolerations[0].toleration_seconds, None);
    }

    #[test]
    fn scales_percentages_rounding_up() {
        assert_eq!(
            scaled_value(&IntOrString::String("10%".into()), 5000),
            Ok(500)
        );
        assert_eq!(scaled_value(&IntOrString::String("10%".into()), 3), Ok(1));
        assert_eq!(scaled_value(&IntOrString::String("50%".into()), 5), Ok(3));
        assert_eq!(scaled_value(&IntOrString::Int(2), 5), Ok(2));
        assert!(scaled_value(&IntOrString::String("x".into()), 5).is_err());
    }

    #[test]
    fn target_node_from_name_or_affinity() {
        let mut pod = Pod {
            spec: Some(PodSpec {
                affinity: Some(replace_daemon_set_pod_node_name_node_affinity(None, "n1")),
                ..PodSpec::default()
            }),
            ..Pod::default()
        };
        assert_eq!(get_target_node_name(&pod).as_deref(), Some("n1"));
        if let Some(spec) = pod.spec.as_mut() {
            spec.node_name = Some("n2".into());
        }
        assert_eq!(get_target_node_name(&pod).as_deref(), Some("n2"));
    }

    /// A cluster (control-plane and three workers) running `manifest`, settled for `seconds`.
    fn cluster_with(manifest: &str, seconds: i64) -> crate::Cluster {
        let mut cluster = crate::Cluster::default_cluster();
        let output = cluster.exec("kubectl apply -f -", manifest);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        cluster.advance(seconds * SECOND);
        cluster
    }

    fn daemon_set_named(cluster: &crate::Cluster, name: &str) -> DaemonSet {
        match cluster.get_any(crate::api::Kind::DaemonSet, "default", name) {
            Some(crate::api::AnyObject::DaemonSet(ds)) => (*ds).clone(),
            other => panic!("no DaemonSet {name}: {other:?}"),
        }
    }

    fn why(cluster: &crate::Cluster, ds: &str, node: &str) -> Option<NoDaemonPod> {
        let ds = daemon_set_named(cluster, ds);
        why_no_daemon_pod(cluster.api(), Some(cluster.taint_eviction()), &ds, node)
    }

    const AGENT: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      tolerations:
      - {key: maintenance, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
      containers: [{name: agent, image: busybox}]
";

    #[test]
    fn why_no_daemon_pod_names_the_taint_the_label_and_the_running_pod() {
        let mut cluster = cluster_with(AGENT, 5);
        assert_eq!(why(&cluster, "agent", "node-1"), None);
        assert_eq!(
            why(&cluster, "agent", "control-plane"),
            Some(NoDaemonPod::Unfit {
                reasons: vec![Unfit::Taint(Taint {
                    key: "node-role.kubernetes.io/control-plane".into(),
                    effect: "NoSchedule".into(),
                    ..Taint::default()
                })],
                pod: None,
                keeps_running: true,
            })
        );
        assert_eq!(
            why(&cluster, "agent", "node-9"),
            Some(NoDaemonPod::NoSuchNode("node-9".into()))
        );

        // A NoSchedule taint after the pod: it stays, misscheduled.
        cluster.exec("kubectl taint node node-2 dedicated=db:NoSchedule", "");
        let Some(NoDaemonPod::Unfit {
            reasons,
            pod: Some(pod),
            keeps_running: true,
        }) = why(&cluster, "agent", "node-2")
        else {
            panic!("node-2 keeps its pod as misscheduled");
        };
        assert!(pod.starts_with("agent-"), "{pod}");
        assert_eq!(
            reasons[0].to_string(),
            "the node has the taint dedicated=db:NoSchedule that the pod does not tolerate"
        );

        let selected = AGENT.replace(
            "      tolerations:",
            "      nodeSelector: {disktype: ssd}\n      tolerations:",
        );
        let cluster = cluster_with(&selected, 5);
        assert_eq!(
            why(&cluster, "agent", "node-1"),
            Some(NoDaemonPod::Unfit {
                reasons: vec![Unfit::NodeSelector {
                    key: "disktype".into(),
                    wanted: "ssd".into(),
                    actual: None,
                }],
                pod: None,
                keeps_running: false,
            })
        );
    }

    #[test]
    fn why_no_daemon_pod_counts_down_a_tolerated_no_execute_taint() {
        let mut cluster = cluster_with(AGENT, 5);
        cluster.exec("kubectl taint node node-1 maintenance=now:NoExecute", "");
        let tainted_at = cluster.now();
        cluster.advance(15 * SECOND);
        let reason = why(&cluster, "agent", "node-1").expect("an eviction is pending");
        let NoDaemonPod::Evicting {
            taint,
            toleration_seconds,
            at,
            ..
        } = &reason
        else {
            panic!("expected an eviction countdown, got {reason:?}");
        };
        assert_eq!(taint.key, "maintenance");
        assert_eq!(*toleration_seconds, 60);
        assert_eq!(*at, tainted_at + 60 * SECOND);
        assert_eq!(reason.eviction_seconds_left(cluster.now()), Some(45));
        assert!(
            reason
                .to_string()
                .contains("maintenance=now:NoExecute for 60s")
        );
        // Without the eviction controller's memory there is nothing to count down.
        let ds = daemon_set_named(&cluster, "agent");
        assert_eq!(why_no_daemon_pod(cluster.api(), None, &ds, "node-1"), None);
    }

    #[test]
    fn why_no_daemon_pod_gives_the_schedulers_message_for_a_pod_that_does_not_fit() {
        let big = AGENT.replace(
            "image: busybox}",
            "image: busybox, resources: {requests: {cpu: '64'}}}",
        );
        let cluster = cluster_with(&big, 5);
        let Some(NoDaemonPod::Pending {
            pod,
            message: Some(message),
        }) = why(&cluster, "agent", "node-3")
        else {
            panic!("the pod is Pending");
        };
        assert!(pod.starts_with("agent-"), "{pod}");
        assert!(
            message.starts_with("0/4 nodes are available: 1 Insufficient cpu"),
            "{message}"
        );
    }
}
