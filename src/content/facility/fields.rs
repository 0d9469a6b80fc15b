//! The fields of one facility, each checked on its own so that every problem of an item is
//! reported at once, on the line where it is written.

use std::ops::Range;

use super::{content_path, phone_uri, RawBooking, RawLocation};
use crate::content::field::{missing, text};
use crate::content::yaml::Text;
use crate::diagnostic::{nearest, Code, Diagnostic};
use crate::model::config::Region;
use crate::model::facility::{Booking, Category};
use crate::model::route::id_problem;
use crate::source::SourceFile;

/// What every field check needs: the file, where a key of this item is, and the errors found
/// so far (shared, so that each check only adds to it).
pub(super) struct Check<'a> {
    file: &'a SourceFile,
    locate: &'a dyn Fn(&str) -> Range<usize>,
    errors: &'a mut Vec<Diagnostic>,
    region: &'a Region,
}

impl<'a> Check<'a> {
    pub(super) fn new(
        file: &'a SourceFile,
        locate: &'a dyn Fn(&str) -> Range<usize>,
        errors: &'a mut Vec<Diagnostic>,
        region: &'a Region,
    ) -> Self {
        Check {
            file,
            locate,
            errors,
            region,
        }
    }

    /// The id becomes the facility's URL, so it must be present and usable in one.
    pub(super) fn id(&mut self, id: &Option<Text>) -> String {
        let id = text(id);
        if id.is_empty() {
            self.errors.push(missing(
                self.file,
                (self.locate)("id"),
                "id",
                "设施编号",
                "id: zhujiaqiao-wwtp",
            ));
        } else if let Some(problem) = id_problem(&id) {
            self.errors.push(
                Diagnostic::error(
                    Code::BadPath,
                    format!("设施编号“{id}”{problem}"),
                    "invalid facility id",
                )
                .at(self.file, (self.locate)("id")),
            );
        }
        id
    }

    pub(super) fn name(&mut self, name: &Option<Text>) -> String {
        let name = text(name);
        if name.is_empty() {
            self.errors.push(missing(
                self.file,
                (self.locate)("name"),
                "name",
                "设施名称",
                "name: 朱家桥污水处理厂",
            ));
        }
        name
    }

    /// One of the four national categories; a near miss is named in the hint.
    pub(super) fn category(&mut self, category: Option<&Text>) -> Option<Category> {
        match category.map(Text::as_str) {
            None | Some("") => {
                self.errors.push(missing(self.file, (self.locate)("category"), "category", "设施类别", "category: sewage"));
                None
            }
            Some(c) => Category::parse(c).or_else(|| {
                let codes = Category::ALL.map(Category::code);
                let hint = match nearest(c, codes) {
                    Some(near) => format!("是否想写 {near}？"),
                    None => "类别只能是 monitoring(环境监测)、sewage(城市污水处理)、waste(垃圾处理)、hazardous_waste(危险废物和电子废物处理)".to_string(),
                };
                self.errors.push(
                    Diagnostic::error(Code::BadValue, format!("未知的设施类别“{c}”"), format!("unknown category `{c}`"))
                        .at(self.file, (self.locate)("category"))
                        .with_hint(hint),
                );
                None
            }),
        }
    }

    /// Facilities are listed by district, so only the region's own districts are accepted
    /// (any, when site.yaml lists none).
    pub(super) fn district(&mut self, district: &Option<Text>) -> String {
        let district = text(district);
        if district.is_empty() {
            self.errors.push(missing(
                self.file,
                (self.locate)("district"),
                "district",
                "所在区县",
                "district: 某某区",
            ));
        } else if !self.region.knows(&district) {
            let names: Vec<&str> = self
                .region
                .districts
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            self.errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("未知的区县“{district}”"),
                    format!("unknown district `{district}`"),
                )
                .at(self.file, (self.locate)("district"))
                .with_hint(format!(
                    "{}的区县：{}（见 site.yaml 的 region）",
                    self.region.name(),
                    names.join("、")
                )),
            );
        }
        district
    }

    /// The map needs both coordinates as numbers inside the region; swapped ones are the
    /// usual mistake and are named as such.
    pub(super) fn location(
        &mut self,
        location: Option<&RawLocation>,
    ) -> (Option<f64>, Option<f64>) {
        let Some(location) = location else {
            self.errors.push(missing(
                self.file,
                (self.locate)("location"),
                "location",
                "坐标",
                "location: { lat: 31.35, lon: 118.37 }",
            ));
            return (None, None);
        };
        let lat = coordinate(location.lat.as_ref());
        let lon = coordinate(location.lon.as_ref());
        for (value, raw, key) in [(lat, &location.lat, "lat"), (lon, &location.lon, "lon")] {
            if value.is_none() {
                let written = raw.as_ref().map_or("", |t| t.as_str());
                self.errors.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("坐标 {key}“{written}”不是数字"),
                        format!("coordinate `{key}` is not a number"),
                    )
                    .at(self.file, (self.locate)(key))
                    .with_hint("坐标写成十进制度数，例如 location: { lat: 31.35, lon: 118.37 }"),
                );
            }
        }
        if let (Some(lat), Some(lon)) = (lat, lon) {
            self.inside_region(lat, lon);
        }
        (lat, lon)
    }

    fn inside_region(&mut self, lat: f64, lon: f64) {
        let bounds = self.region.bounds();
        let inside = |v: f64, [lo, hi]: [f64; 2]| (lo..=hi).contains(&v);
        if inside(lat, bounds.lat) && inside(lon, bounds.lon) {
            return;
        }
        let name = self.region.name();
        let [(lat_lo, lat_hi), (lon_lo, lon_hi)] = [bounds.lat, bounds.lon].map(|[a, b]| (a, b));
        let hint = if inside(lon, bounds.lat) && inside(lat, bounds.lon) {
            format!("纬度(lat)和经度(lon)好像写反了：{name}的纬度约 {lat_lo}–{lat_hi}，经度约 {lon_lo}–{lon_hi}")
        } else {
            format!("{name}范围约为东经 {lon_lo}–{lon_hi}、北纬 {lat_lo}–{lat_hi}（见 site.yaml 的 region）")
        };
        self.errors.push(
            Diagnostic::error(
                Code::BadValue,
                format!("坐标 (lat {lat}, lon {lon}) 不在{name}范围内"),
                "coordinates outside the region",
            )
            .at(self.file, (self.locate)("lat"))
            .with_hint(hint),
        );
    }

    /// A phone number and a URL are published as links, so each must work as one.
    pub(super) fn booking(&mut self, booking: RawBooking) -> Booking {
        let phone = non_empty(booking.phone.as_ref());
        let phone_uri = phone.as_deref().and_then(phone_uri);
        if let (Some(p), None) = (&phone, &phone_uri) {
            self.errors.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("“{p}”不是电话号码"),
                    "not a phone number",
                )
                .at(self.file, (self.locate)("phone"))
                .with_hint("电话号码只写数字、空格、- 和括号，例如 0553-1234567"),
            );
        }
        let url = non_empty(booking.url.as_ref());
        if let Some(u) = &url {
            if !(u.starts_with("https://") || u.starts_with("http://"))
                || u.contains(char::is_whitespace)
            {
                self.errors.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("预约网址“{u}”无效"),
                        "booking url must start with http:// or https://",
                    )
                    .at(self.file, (self.locate)("url")),
                );
            }
        }
        Booking {
            phone,
            phone_uri,
            url,
            note: booking.note,
        }
    }

    /// The photo must exist under `content/` and, to be accessible, come with alt text.
    pub(super) fn image(
        &mut self,
        image: &Option<Text>,
        image_alt: &Option<Text>,
        file_exists: &dyn Fn(&str) -> bool,
    ) -> (Option<String>, Option<String>) {
        let image = match non_empty(image.as_ref()) {
            None => None,
            Some(written) => match content_path(self.file, &written) {
                Err(problem) => {
                    self.errors.push(
                        Diagnostic::error(
                            Code::BadPath,
                            format!("图片路径“{written}”无效：{problem}"),
                            "invalid image path",
                        )
                        .at(self.file, (self.locate)("image")),
                    );
                    None
                }
                Ok(path) if !file_exists(&path) => {
                    self.errors.push(
                        Diagnostic::error(
                            Code::MissingFile,
                            format!("找不到图片 content/{path}"),
                            format!("image content/{path} does not exist"),
                        )
                        .at(self.file, (self.locate)("image"))
                        .with_hint("图片路径相对于本 YAML 文件所在的文件夹；检查文件名和大小写"),
                    );
                    None
                }
                Ok(path) => Some(path),
            },
        };
        let image_alt = non_empty(image_alt.as_ref());
        if image.is_some() && image_alt.is_none() {
            self.errors.push(
                Diagnostic::error(
                    Code::MissingField,
                    "图片缺少替代文字 image_alt",
                    "image without alt text",
                )
                .at(self.file, (self.locate)("image"))
                .with_hint(
                    "用一句话描述图片内容，供读屏软件朗读，例如 image_alt: 污水处理厂生化池全景",
                ),
            );
        }
        (image, image_alt)
    }
}

/// An optional field written empty is the same as one not written.
fn non_empty(value: Option<&Text>) -> Option<String> {
    value
        .map(|t| t.as_str().to_string())
        .filter(|t| !t.is_empty())
}

fn coordinate(text: Option<&Text>) -> Option<f64> {
    text.and_then(|t| t.as_str().parse::<f64>().ok())
        .filter(|v| v.is_finite())
}
