//! Environmental facilities open to the public (环保设施向公众开放, `content/facilities/*.yaml`,
//! each file a list): the four national categories, Wuhu's districts, and everything a visitor
//! needs to book a visit.

use crate::model::facility::Facility;

use serde::Deserialize;

mod fields;

use crate::content::yaml::{self, Text};
use crate::diagnostic::Diagnostic;
use crate::model::config::Region;
use crate::source::SourceFile;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacility {
    id: Option<Text>,
    name: Option<Text>,
    category: Option<Text>,
    district: Option<Text>,
    #[serde(default)]
    address: Option<Text>,
    location: Option<RawLocation>,
    #[serde(default)]
    open_time: Option<Text>,
    #[serde(default)]
    booking: Option<RawBooking>,
    #[serde(default)]
    capacity: Option<Text>,
    #[serde(default)]
    highlights: Vec<Text>,
    #[serde(default)]
    image: Option<Text>,
    #[serde(default)]
    image_alt: Option<Text>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLocation {
    lat: Option<Text>,
    lon: Option<Text>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBooking {
    #[serde(default)]
    phone: Option<Text>,
    #[serde(default)]
    url: Option<Text>,
    #[serde(default)]
    note: Option<String>,
}

/// A phone number as written in China (`0553-1234567`, `12345`, `+86 553 1234567`): digits with
/// spaces, dashes, brackets; 5 to 15 digits. Returns the `tel:` form.
pub fn phone_uri(text: &str) -> Option<String> {
    let text = text.trim();
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || " -()（）+".contains(c))
    {
        return None;
    }
    let digits: String = text.chars().filter(|c| c.is_ascii_digit()).collect();
    if !(5..=15).contains(&digits.len()) || text.chars().skip(1).any(|c| c == '+') {
        return None;
    }
    Some(if text.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}

/// Joins a path written in a content file to the folder of that file, refusing anything that
/// could leave `content/` (`..`, absolute paths, backslashes).
pub fn content_path(file: &SourceFile, written: &str) -> Result<String, &'static str> {
    let written = written.trim();
    if written.is_empty() {
        return Err("路径为空");
    }
    if written.starts_with('/') || written.contains('\\') || written.contains(':') {
        return Err("请写相对于本文件所在文件夹的路径，不要以 / 开头，不要用 \\ 或盘符");
    }
    if written
        .split('/')
        .any(|part| part == ".." || part == "." || part.is_empty())
    {
        return Err("路径中不能有 ..、. 或连续的 /");
    }
    let folder = file.path.strip_prefix("content/").unwrap_or(&file.path);
    let folder = folder.rsplit_once('/').map_or("", |(f, _)| f);
    Ok(if folder.is_empty() {
        written.to_string()
    } else {
        format!("{folder}/{written}")
    })
}

/// Reads a facilities file (a list). `file_exists` says whether a path under `content/` exists.
pub fn parse_file(
    file: &SourceFile,
    region: &Region,
    file_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Facility>, Vec<Diagnostic>> {
    let raw: Vec<RawFacility> = yaml::parse_file(file).map_err(|d| vec![d])?;
    let regions = file.list_item_regions(raw.len());
    let mut errors = Vec::new();
    let mut facilities = Vec::new();
    for (item, span) in raw.into_iter().zip(regions) {
        let before = errors.len();
        let locate = |key: &str| {
            file.find_value(span.start, span.end, key)
                .unwrap_or(span.start..span.start)
        };
        let mut check = fields::Check::new(file, &locate, &mut errors, region);
        let id = check.id(&item.id);
        let name = check.name(&item.name);
        let category = check.category(item.category.as_ref());
        let district = check.district(&item.district);
        let (lat, lon) = check.location(item.location.as_ref());
        let booking = check.booking(item.booking.unwrap_or_default());
        let (image, image_alt) = check.image(&item.image, &item.image_alt, file_exists);
        if errors.len() > before {
            continue;
        }
        let (Some(category), Some(lat), Some(lon)) = (category, lat, lon) else {
            continue;
        };
        facilities.push(Facility {
            id_span: locate("id"),
            id,
            name,
            category,
            district,
            address: crate::content::field::text(&item.address),
            lat,
            lon,
            open_time: item.open_time.map(|t| t.as_str().to_string()),
            booking,
            capacity: item.capacity.map(|t| t.as_str().to_string()),
            highlights: item
                .highlights
                .iter()
                .map(|h| h.as_str().to_string())
                .collect(),
            image,
            image_alt,
            description: item.description,
            source: file.clone(),
        });
    }
    if errors.is_empty() {
        Ok(facilities)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::diagnostic::Code;

    /// The region of the default site, as its site.yaml gives it.
    pub fn wuhu() -> Region {
        let site = crate::source::SourceFile::new(
            "content/site.yaml",
            include_str!("../../../content/site.yaml"),
        );
        crate::model::config::SiteConfig::parse(&site)
            .unwrap()
            .region
    }

    const GOOD: &str = "- id: zhujiaqiao\n  name: 朱家桥污水处理厂\n  category: sewage\n  district: 镜湖区\n  address: 示例地址\n  location: { lat: 31.35, lon: 118.37 }\n  booking: { phone: 0553-0000001, url: https://example.org/b }\n  image: images/z.jpg\n  image_alt: 全景\n";

    fn parse(text: &str) -> Result<Vec<Facility>, Vec<Diagnostic>> {
        parse_file(
            &SourceFile::new("content/facilities/sewage.yaml", text),
            &wuhu(),
            &|p| p == "facilities/images/z.jpg",
        )
    }

    #[test]
    fn a_good_facility() {
        let f = &parse(GOOD).unwrap()[0];
        assert_eq!(f.category.label(), "城市污水处理设施");
        assert_eq!(f.booking.phone_uri.as_deref(), Some("05530000001"));
        assert_eq!(f.image.as_deref(), Some("facilities/images/z.jpg"));
    }

    #[test]
    fn swapped_coordinates_are_named() {
        let errors =
            parse(&GOOD.replace("lat: 31.35, lon: 118.37", "lat: 118.37, lon: 31.35")).unwrap_err();
        assert_eq!((errors[0].code, errors[0].line), (Code::BadValue, 6));
        assert!(errors[0].hint.as_deref().unwrap().contains("写反"));
    }

    #[test]
    fn every_problem_of_an_item_is_reported() {
        let text = GOOD
            .replace("category: sewage", "category: sewer")
            .replace("district: 镜湖区", "district: 合肥市")
            .replace("0553-0000001", "请致电")
            .replace("images/z.jpg", "images/missing.jpg");
        let found: Vec<_> = parse(&text)
            .unwrap_err()
            .iter()
            .map(|e| (e.code, e.line))
            .collect();
        assert_eq!(
            found,
            [
                (Code::BadValue, 3),
                (Code::BadValue, 4),
                (Code::BadValue, 7),
                (Code::MissingFile, 8)
            ]
        );
    }

    #[test]
    fn paths_cannot_leave_content() {
        let file = SourceFile::new("content/facilities/a.yaml", "");
        assert_eq!(
            content_path(&file, "images/a.jpg").unwrap(),
            "facilities/images/a.jpg"
        );
        for bad in [
            "../../etc/passwd",
            "/etc/passwd",
            "C:\\x.jpg",
            "images//a.jpg",
            "./a.jpg",
            "",
        ] {
            assert!(content_path(&file, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(phone_uri("0553-1234567").as_deref(), Some("05531234567"));
        assert_eq!(
            phone_uri("+86 553 1234567").as_deref(),
            Some("+865531234567")
        );
        assert_eq!(phone_uri("12369").as_deref(), Some("12369"));
        for bad in [
            "请致电",
            "123",
            "0553-123456789012345",
            "1+2345678",
            "tel:12369",
        ] {
            assert_eq!(phone_uri(bad), None, "{bad}");
        }
    }
}
