//! An environmental facility open to the public (环保设施向公众开放).

use std::ops::Range;

use serde::Serialize;

use crate::source::SourceFile;

/// The four national categories of facilities open to the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Category {
    Monitoring,
    Sewage,
    Waste,
    HazardousWaste,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Monitoring,
        Category::Sewage,
        Category::Waste,
        Category::HazardousWaste,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Monitoring => "monitoring",
            Category::Sewage => "sewage",
            Category::Waste => "waste",
            Category::HazardousWaste => "hazardous_waste",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Monitoring => "环境监测设施",
            Category::Sewage => "城市污水处理设施",
            Category::Waste => "垃圾处理设施",
            Category::HazardousWaste => "危险废物和电子废物处理设施",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == text.trim())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Booking {
    pub phone: Option<String>,
    /// The phone number as a `tel:` URI (digits and `+` only).
    pub phone_uri: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Facility {
    pub id: String,
    pub name: String,
    pub category: Category,
    pub district: String,
    pub address: String,
    pub lat: f64,
    pub lon: f64,
    pub open_time: Option<String>,
    pub booking: Booking,
    pub capacity: Option<String>,
    pub highlights: Vec<String>,
    /// Path of the image relative to `content/`.
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub description: Option<String>,
    pub source: SourceFile,
    pub id_span: Range<usize>,
}
