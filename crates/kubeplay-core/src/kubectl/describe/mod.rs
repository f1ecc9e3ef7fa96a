//! Placeholder until the printers branch lands.

use crate::api::AnyObject;
use crate::apiserver::ApiServer;

pub fn describe(_api: &ApiServer, object: &AnyObject) -> String {
    format!("Name:         {}\n", object.name())
}
