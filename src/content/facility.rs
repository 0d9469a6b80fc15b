//! Environmental facilities open to the public (环保设施向公众开放, `content/facilities/*.yaml`,
//! each file a list): the four national categories, Wuhu's districts, and everything a visitor
//! needs to book a visit.

use crate::model::facility::{Booking, Category, Facility, DISTRICTS, LAT_RANGE, LON_RANGE};

use serde::Deserialize;

use crate::content::field::missing;
use crate::content::yaml::{self, Text};
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::model::route::id_problem;
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

fn coordinate(text: Option<&Text>) -> Option<f64> {
    text.and_then(|t| t.as_str().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}

/// Reads a facilities file (a list). `file_exists` says whether a path under `content/` exists.
pub fn parse_file(
    file: &SourceFile,
    file_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Facility>, Vec<Diagnostic>> {
    let raw: Vec<RawFacility> = yaml::parse_file(file).map_err(|d| vec![d])?;
    let regions = file.list_item_regions(raw.len());
    let mut errors = Vec::new();
    let mut facilities = Vec::new();
    for (item, region) in raw.into_iter().zip(regions) {
        let before = errors.len();
        let locate = |key: &str| {
            file.find_value(region.start, region.end, key)
                .unwrap_or(region.start..region.start)
        };
        let text = crate::content::field::text;
        let id = text(&item.id);
        if id.is_empty() {
            errors.push(missing(
                file,
                locate("id"),
                "id",
                "设施编号",
                "id: zhujiaqiao-wwtp",
            ));
        } else if let Some(problem) = id_problem(&id) {
            errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("设施编号“{id}”{problem}"),
                    "invalid facility id",
                )
                .at(file, locate("id")),
            );
        }
        let name = text(&item.name);
        if name.is_empty() {
            errors.push(missing(
                file,
                locate("name"),
                "name",
                "设施名称",
                "name: 朱家桥污水处理厂",
            ));
        }
        let category = match item.category.as_ref().map(Text::as_str) {
            None | Some("") => {
                errors.push(missing(file, locate("category"), "category", "设施类别", "category: sewage"));
                None
            }
            Some(c) => Category::parse(c).or_else(|| {
                let codes = Category::ALL.map(Category::code);
                let hint = match nearest(c, codes) {
                    Some(near) => format!("是否想写 {near}？"),
                    None => "类别只能是 monitoring(环境监测)、sewage(城市污水处理)、waste(垃圾处理)、hazardous_waste(危险废物和电子废物处理)".to_string(),
                };
                errors.push(
                    Diagnostic::error(Code::BadValue, format!("未知的设施类别“{c}”"), format!("unknown category `{c}`"))
                        .at(file, locate("category"))
                        .with_hint(hint),
                );
                None
            }),
        };
        let district = text(&item.district);
        if district.is_empty() {
            errors.push(missing(
                file,
                locate("district"),
                "district",
                "所在区县",
                "district: 镜湖区",
            ));
        } else if !DISTRICTS.contains(&district.as_str()) {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("未知的区县“{district}”"),
                    format!("unknown district `{district}`"),
                )
                .at(file, locate("district"))
                .with_hint(format!("芜湖市的区县：{}", DISTRICTS.join("、"))),
            );
        }
        let (lat, lon) = match &item.location {
            None => {
                errors.push(missing(
                    file,
                    locate("location"),
                    "location",
                    "坐标",
                    "location: { lat: 31.35, lon: 118.37 }",
                ));
                (None, None)
            }
            Some(location) => {
                let lat = coordinate(location.lat.as_ref());
                let lon = coordinate(location.lon.as_ref());
                for (value, raw, key) in [(lat, &location.lat, "lat"), (lon, &location.lon, "lon")]
                {
                    if value.is_none() {
                        let written = raw.as_ref().map_or("", |t| t.as_str());
                        errors.push(
                            Diagnostic::error(
                                Code::BadValue,
                                format!("坐标 {key}“{written}”不是数字"),
                                format!("coordinate `{key}` is not a number"),
                            )
                            .at(file, locate(key))
                            .with_hint(
                                "坐标写成十进制度数，例如 location: { lat: 31.35, lon: 118.37 }",
                            ),
                        );
                    }
                }
                if let (Some(lat), Some(lon)) = (lat, lon) {
                    let inside = |v: f64, (lo, hi): (f64, f64)| (lo..=hi).contains(&v);
                    if !inside(lat, LAT_RANGE) || !inside(lon, LON_RANGE) {
                        let swapped = inside(lon, LAT_RANGE) && inside(lat, LON_RANGE);
                        let hint = if swapped {
                            "纬度(lat)和经度(lon)好像写反了：芜湖的纬度约 30.5–31.8，经度约 117.3–118.9".to_string()
                        } else {
                            format!(
                                "芜湖市范围约为东经 {}–{}、北纬 {}–{}",
                                LON_RANGE.0, LON_RANGE.1, LAT_RANGE.0, LAT_RANGE.1
                            )
                        };
                        errors.push(
                            Diagnostic::error(
                                Code::BadValue,
                                format!("坐标 (lat {lat}, lon {lon}) 不在芜湖市范围内"),
                                "coordinates outside Wuhu",
                            )
                            .at(file, locate("lat"))
                            .with_hint(hint),
                        );
                    }
                }
                (lat, lon)
            }
        };
        let booking = item.booking.unwrap_or_default();
        let phone = booking
            .phone
            .as_ref()
            .map(|p| p.as_str().to_string())
            .filter(|p| !p.is_empty());
        let phone_uri = phone.as_deref().and_then(phone_uri);
        if let (Some(p), None) = (&phone, &phone_uri) {
            errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("“{p}”不是电话号码"),
                    "not a phone number",
                )
                .at(file, locate("phone"))
                .with_hint("电话号码只写数字、空格、- 和括号，例如 0553-1234567"),
            );
        }
        let url = booking
            .url
            .as_ref()
            .map(|u| u.as_str().to_string())
            .filter(|u| !u.is_empty());
        if let Some(u) = &url {
            if !(u.starts_with("https://") || u.starts_with("http://"))
                || u.contains(char::is_whitespace)
            {
                errors.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("预约网址“{u}”无效"),
                        "booking url must start with http:// or https://",
                    )
                    .at(file, locate("url")),
                );
            }
        }
        let image = match item
            .image
            .as_ref()
            .map(|t| t.as_str().to_string())
            .filter(|i| !i.is_empty())
        {
            None => None,
            Some(written) => match content_path(file, &written) {
                Err(problem) => {
                    errors.push(
                        Diagnostic::error(
                            Code::BadPath,
                            format!("图片路径“{written}”无效：{problem}"),
                            "invalid image path",
                        )
                        .at(file, locate("image")),
                    );
                    None
                }
                Ok(path) if !file_exists(&path) => {
                    errors.push(
                        Diagnostic::error(
                            Code::MissingFile,
                            format!("找不到图片 content/{path}"),
                            format!("image content/{path} does not exist"),
                        )
                        .at(file, locate("image"))
                        .with_hint("图片路径相对于本 YAML 文件所在的文件夹；检查文件名和大小写"),
                    );
                    None
                }
                Ok(path) => Some(path),
            },
        };
        let image_alt = item
            .image_alt
            .as_ref()
            .map(|t| t.as_str().to_string())
            .filter(|a| !a.is_empty());
        if image.is_some() && image_alt.is_none() {
            errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    "图片缺少替代文字 image_alt",
                    "image without alt text",
                )
                .at(file, locate("image"))
                .with_hint(
                    "用一句话描述图片内容，供读屏软件朗读，例如 image_alt: 污水处理厂生化池全景",
                ),
            );
        }
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
            address: text(&item.address),
            lat,
            lon,
            open_time: item.open_time.map(|t| t.as_str().to_string()),
            booking: Booking {
                phone,
                phone_uri,
                url,
                note: booking.note,
            },
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
mod tests {
    use super::*;

    const GOOD: &str = "- id: zhujiaqiao\n  name: 朱家桥污水处理厂\n  category: sewage\n  district: 镜湖区\n  address: 示例地址\n  location: { lat: 31.35, lon: 118.37 }\n  booking: { phone: 0553-0000001, url: https://example.org/b }\n  image: images/z.jpg\n  image_alt: 全景\n";

    fn parse(text: &str) -> Result<Vec<Facility>, Vec<Diagnostic>> {
        parse_file(
            &SourceFile::new("content/facilities/sewage.yaml", text),
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
