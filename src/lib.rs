//! ecosite: the static report and open-data site generator of the Wuhu Municipal Ecology and
//! Environment Bureau (芜湖市生态环境局).
//!
//! Data flows one way: [`load`] reads the site root, [`validate`] turns it into a [`model`] or
//! into [`diagnostic`]s, [`render`] makes an [`output`] map of path → bytes (pure), and a
//! [`sink`] stores it. [`site`] runs the stages for the commands.

// Diagnostics are returned only when something is wrong, never on the hot path: their size
// does not matter, and boxing them everywhere would only add noise.
#![allow(clippy::result_large_err)]

pub mod area;
pub mod chart;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod environment_day;
pub mod facility;
pub mod facility_map;
pub mod field;
pub mod front_matter;
pub mod indicator;
pub mod load;
pub mod markdown;
pub mod model;
pub mod open_data;
pub mod output;
pub mod page;
pub mod period;
pub mod render;
pub mod route;
pub mod search;
pub mod serve;
pub mod shortcode;
pub mod sink;
pub mod site;
pub mod snapshot;
pub mod source;
pub mod status;
pub mod summary;
pub mod theme;
pub mod thumbnail;
pub mod validate;
pub mod yaml;
