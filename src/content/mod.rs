//! The content stage: reads the site root (`load`) and checks each kind of file, turning it into
//! the types of the [`crate::model`]; `validate` gathers them into one `Model` or into every
//! diagnostic found.

pub mod area;
pub mod cache;
pub mod config;
pub mod edit;
pub mod environment_day;
pub mod facility;
pub mod field;
pub mod front_matter;
pub mod indicator;
pub mod load;
pub mod markdown;
pub mod page;
pub mod shortcode;
pub mod summary;
pub mod unknown;
pub mod validate;
pub mod yaml;
