//! Scenario tests: whole stories told through the `kubeplay` CLI as a tutorial author would,
//! one command at a time against a state file, checking what `kubectl get -o json` shows.

mod story;

mod cronjob;
mod daemonset;
mod engine;
mod job;
mod lesson;
mod robust;
mod share;
