//! Placeholder until the printers branch lands: ages as kubectl prints them.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::apiserver::ApiServer;

pub fn human_duration(millis: i64) -> String {
    let seconds = millis / 1000;
    if seconds < 120 {
        format!("{seconds}s")
    } else {
        format!("{}m", seconds / 60)
    }
}

pub fn age(api: &ApiServer, time: Option<&Time>) -> String {
    match time {
        Some(time) => human_duration(api.now() - crate::clock::to_millis(time.0)),
        None => "<unknown>".into(),
    }
}
