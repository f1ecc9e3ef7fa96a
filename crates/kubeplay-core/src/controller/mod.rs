//! What every control loop shares, as client-go gives it upstream: a de-duplicating work queue fed
//! by watch events, delayed requeues on the virtual clock, and a context to act through.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::apiserver::{ApiServer, WatchEvent};
use crate::clock::{Component, Millis, SECOND, Timers};

/// A FIFO of keys in which a key waits at most once (client-go's `workqueue`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkQueue {
    order: VecDeque<String>,
    queued: BTreeSet<String>,
}

impl WorkQueue {
    pub fn add(&mut self, key: impl Into<String>) {
        let key = key.into();
        if self.queued.insert(key.clone()) {
            self.order.push_back(key);
        }
    }

    pub fn pop(&mut self) -> Option<String> {
        let key = self.order.pop_front()?;
        self.queued.remove(&key);
        Some(key)
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }
}

/// client-go's default per-item rate limiter for failed syncs (`AddRateLimited`): 5 ms doubling
/// to 1000 s, per key, until the key is forgotten.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RateLimiter {
    failures: BTreeMap<String, u32>,
}

impl RateLimiter {
    const BASE: Millis = 5;
    const MAX: Millis = 1000 * SECOND;

    /// `When`: how long the key waits after one more failure.
    pub fn when(&mut self, key: &str) -> Millis {
        let failures = self.failures.entry(key.to_string()).or_insert(0);
        let delay = Self::BASE
            .saturating_mul(1 << (*failures).min(30))
            .min(Self::MAX);
        *failures += 1;
        delay
    }

    pub fn forget(&mut self, key: &str) {
        self.failures.remove(key);
    }
}

/// What a sync can reach: the API server and the clock's timer queue.
pub struct Context<'a> {
    pub api: &'a mut ApiServer,
    pub timers: &'a mut Timers,
    pub component: Component,
}

impl Context<'_> {
    pub fn now(&self) -> Millis {
        self.api.now()
    }

    /// `AddAfter`: sync `key` again once `delay` has passed on the virtual clock.
    pub fn requeue_after(&mut self, key: impl Into<String>, delay: Millis) {
        let at = self.api.now().saturating_add(delay.max(0));
        self.timers.add(at, self.component, key.into());
    }

    pub fn requeue_at(&mut self, key: impl Into<String>, at: Millis) {
        let at = at.max(self.api.now());
        self.timers.add(at, self.component, key.into());
    }
}

/// One control loop: it turns watch events into keys, and reconciles one key at a time.
pub trait Controller {
    fn queue(&mut self) -> &mut WorkQueue;

    /// The informer's event handlers: look at a change and enqueue whatever it affects.
    fn handle(&mut self, event: &WatchEvent, api: &ApiServer);

    /// Keys a handler asked to sync later (client-go's `AddAfter` from an informer handler), with
    /// when; the cluster moves them onto the clock's timers after each event.
    fn take_delayed(&mut self) -> Vec<(Millis, String)> {
        Vec::new()
    }

    fn sync(&mut self, key: &str, ctx: &mut Context);
}

pub mod controller_utils;
pub mod cronjob;
pub mod daemon;
pub mod eventttl;
pub mod garbagecollector;
pub mod job;
pub mod namespace;
pub mod nodelifecycle;
pub mod podgc;
pub mod tainteviction;
pub mod ttlafterfinished;
