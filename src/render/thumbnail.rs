//! Thumbnails: smaller copies of the photos that galleries and lists show, made at build time
//! from the bytes in memory (pure), with the size the page needs for `width`/`height`.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat, ImageReader};

/// Thumbnails are at most this wide (CSS pixels, shown at up to half of it on high-density screens).
pub const MAX_WIDTH: u32 = 480;
const JPEG_QUALITY: u8 = 78;

/// A resized image and its place in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Output path of the thumbnail (`environment-day/images/2024/photo-1.thumb.jpg`).
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// The output path of the thumbnail of an image at `path`.
pub fn path_for(path: &str) -> String {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    format!("{stem}.thumb.jpg")
}

/// Makes the thumbnail of an image (JPEG or PNG bytes); images narrower than the maximum are
/// re-encoded at their size. `None` when the bytes are not an image this build can read.
pub fn make(path: &str, bytes: &[u8]) -> Option<Thumbnail> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return None;
    }
    let image = reader.decode().ok()?;
    let image = if image.width() > MAX_WIDTH {
        let height = (u64::from(image.height()) * u64::from(MAX_WIDTH) / u64::from(image.width()))
            .max(1) as u32;
        image.thumbnail_exact(MAX_WIDTH, height)
    } else {
        image
    };
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    let mut out = Vec::new();
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        .ok()?;
    Some(Thumbnail {
        path: path_for(path),
        width: rgb.width(),
        height: rgb.height(),
        bytes: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        }));
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn large_images_are_scaled_to_the_maximum_width() {
        let t = make("environment-day/images/a.png", &png(1600, 1000)).unwrap();
        assert_eq!((t.width, t.height), (480, 300));
        assert_eq!(t.path, "environment-day/images/a.thumb.jpg");
        assert!(t.bytes.starts_with(&[0xff, 0xd8]), "a JPEG");
        assert_eq!(
            make("a.png", &png(1600, 1000)).unwrap(),
            make("a.png", &png(1600, 1000)).unwrap(),
            "deterministic"
        );
    }

    #[test]
    fn small_images_keep_their_size_and_garbage_is_refused() {
        let t = make("a.png", &png(200, 100)).unwrap();
        assert_eq!((t.width, t.height), (200, 100));
        assert!(make("a.jpg", b"not an image").is_none());
        assert!(make("a.gif", b"GIF89a....").is_none());
    }
}
