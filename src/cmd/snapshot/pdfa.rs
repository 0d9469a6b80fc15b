//! PDF/A-2b for the archive. Chromium cannot write PDF/A; Ghostscript (Debian's `ghostscript`)
//! rewrites its print with every font embedded, an sRGB output intent and the XMP metadata that
//! claims PDF/A-2B. The document's dates are the archive's time (`SOURCE_DATE_EPOCH` for
//! Ghostscript), and the two things Ghostscript still varies or drops — the second half of the
//! file identifier and the Chinese title in the XMP — are set in place without moving a byte,
//! so that the same content gives the same PDF.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diagnostic::{Code, Diagnostic};

/// Where Debian and Ghostscript's own installs keep the sRGB profile the output intent embeds.
const SRGB_PROFILES: [&str; 3] = [
    "/usr/share/color/icc/ghostscript/srgb.icc",
    "/usr/share/ghostscript/iccprofiles/srgb.icc",
    "/usr/local/share/ghostscript/iccprofiles/srgb.icc",
];

fn missing(what: &str, en: &str) -> Diagnostic {
    Diagnostic::error(
        Code::Output,
        format!("{what}，无法生成 PDF/A 存档，本次没有写入任何存档"),
        en,
    )
    .with_hint(
        "安装 Ghostscript（Debian: apt-get install ghostscript），或去掉 --pdf 只生成 report.html",
    )
}

/// The PostScript Ghostscript reads before the document: the output intent (sRGB), the
/// document's language and that viewers show its title.
fn definitions(profile: &Path) -> String {
    let profile = profile.to_string_lossy().replace(['(', ')', '\\'], "");
    format!(
        "/ICCProfile ({profile}) def\n\
         [/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark\n\
         [{{icc_PDFA}} << /N 3 >> /PUT pdfmark\n\
         [{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark\n\
         [/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark\n\
         [{{OutputIntent_PDFA}} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {{icc_PDFA}} /OutputConditionIdentifier (sRGB) /Info (sRGB IEC61966-2.1) >> /PUT pdfmark\n\
         [{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] /Lang (zh-CN) /ViewerPreferences << /DisplayDocTitle true >> >> /PUT pdfmark\n"
    )
}

/// `printed` (Chromium's PDF) as PDF/A-2b; `work` is a folder for Ghostscript's files.
pub fn convert(
    printed: &Path,
    work: &Path,
    title: &str,
    created: u64,
    limit: std::time::Duration,
) -> Result<Vec<u8>, Diagnostic> {
    let profile = SRGB_PROFILES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            missing(
                "找不到 sRGB 色彩配置文件 srgb.icc",
                "no sRGB ICC profile found",
            )
        })?;
    let definitions_file = work.join("pdfa.ps");
    let output = work.join("pdfa.pdf");
    let io = |e: std::io::Error| Diagnostic::error(Code::Output, "无法生成 PDF/A", e.to_string());
    fs::write(&definitions_file, definitions(&profile)).map_err(io)?;
    let child = Command::new("gs")
        .args([
            "-q",
            "-dBATCH",
            "-dNOPAUSE",
            "-dNOOUTERSAVE",
            "-dPDFA=2",
            "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB",
            "-sDEVICE=pdfwrite",
            // Ghostscript 10.0's new PDF reader takes minutes on a report the old one reads in
            // seconds; later versions, which have only the new one, ignore this.
            "-dNEWPDF=false",
        ])
        .arg(format!("--permit-file-read={}", profile.display()))
        .arg(format!("-sOutputFile={}", output.display()))
        .arg(&definitions_file)
        .arg(printed)
        .env("SOURCE_DATE_EPOCH", created.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|_| {
            missing(
                "找不到 Ghostscript（gs）",
                "Ghostscript (gs) is not installed",
            )
        })?;
    let (status, messages) = super::pdf::finish(child, limit, "Ghostscript 生成 PDF/A")?;
    let mut pdf = fs::read(&output).unwrap_or_default();
    if !status.success() || !pdf.starts_with(b"%PDF") {
        return Err(Diagnostic::error(
            Code::Output,
            "Ghostscript 没有生成 PDF/A，本次没有写入任何存档",
            format!("Ghostscript failed: {}", messages.trim()),
        ));
    }
    same_identifier(&mut pdf);
    set_xmp_title(&mut pdf, title);
    Ok(pdf)
}

/// Ghostscript's file identifier `/ID [<a><b>]` changes with the run and the file's path; a
/// new file may have both halves the same (ISO 32000, 14.4). Both become a digest of the file
/// itself, so that only the content decides them.
fn same_identifier(pdf: &mut [u8]) {
    let key = b"/ID [<";
    let Some(at) = pdf.windows(key.len()).rposition(|w| w == key) else {
        return;
    };
    let first = at + key.len();
    let Some(len) = pdf[first..].iter().position(|&b| b == b'>') else {
        return;
    };
    let second = first + len + 2;
    if pdf.get(second - 1) != Some(&b'<') || pdf.get(second + len) != Some(&b'>') {
        return;
    }
    pdf[first..first + len].fill(b'0');
    pdf[second..second + len].fill(b'0');
    let digest = crate::output::manifest::sha256_hex(pdf).to_ascii_uppercase();
    let Some(id) = digest.as_bytes().get(..len) else {
        return;
    };
    let id = id.to_vec();
    pdf[first..first + len].copy_from_slice(&id);
    pdf[second..second + len].copy_from_slice(&id);
}

/// Ghostscript 10.0 leaves a title it cannot write into the Info dictionary as `Untitled` in
/// the XMP metadata. The title goes there instead, in room taken from the packet's padding, so
/// that the stream keeps its length and no offset of the file moves.
fn set_xmp_title(pdf: &mut Vec<u8>, title: &str) {
    let placeholder = b"<rdf:li xml:lang='x-default'>Untitled</rdf:li>";
    let Some(at) = pdf
        .windows(placeholder.len())
        .position(|w| w == placeholder)
    else {
        return;
    };
    let escaped = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let replacement = format!("<rdf:li xml:lang='x-default'>{escaped}</rdf:li>");
    let grow = replacement.len() - placeholder.len().min(replacement.len());
    let end_marker = b"<?xpacket end=";
    let Some(end) = pdf[at..]
        .windows(end_marker.len())
        .position(|w| w == end_marker)
        .map(|i| at + i)
    else {
        return;
    };
    // The padding is the run of spaces and newlines before the packet's end.
    let padding = pdf[..end]
        .iter()
        .rev()
        .take_while(|b| matches!(b, b' ' | b'\n' | b'\r'))
        .count();
    if padding < grow + 2 || replacement.len() < placeholder.len() {
        return;
    }
    let spaces = pdf[end - padding..end]
        .iter()
        .filter(|&&b| b == b' ')
        .count();
    if spaces < grow {
        return;
    }
    // Take `grow` spaces out of the padding (from its end), then widen the title in place.
    let mut removed = 0;
    let mut i = end;
    while removed < grow && i > end - padding {
        i -= 1;
        if pdf[i] == b' ' {
            pdf.remove(i);
            removed += 1;
        }
    }
    pdf.splice(at..at + placeholder.len(), replacement.into_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_made_of_the_content() {
        let make = |id: &[u8]| {
            [
                &b"%PDF-1.7 ...\ntrailer\n<< /Size 3\n/ID ["[..],
                id,
                b"]\n>>",
            ]
            .concat()
        };
        let (mut a, mut b) = (make(b"<AB12><CD34>"), make(b"<9F00><1234>"));
        same_identifier(&mut a);
        same_identifier(&mut b);
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        let id = &text[text.find("/ID [<").unwrap() + 6..][..4];
        assert!(text.contains(&format!("/ID [<{id}><{id}>]")), "{text}");
        assert_ne!(id, "0000");
    }

    #[test]
    fn the_title_takes_the_room_of_the_padding() {
        let mut pdf = b"<dc:title><rdf:Alt><rdf:li xml:lang='x-default'>Untitled</rdf:li></rdf:Alt></dc:title>\n                                        \n<?xpacket end='w'?>\nendstream".to_vec();
        let before = pdf.len();
        set_xmp_title(&mut pdf, "第二季度 & 报告");
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert_eq!(pdf.len(), before, "{text}");
        assert!(text.contains(">第二季度 &amp; 报告</rdf:li>"), "{text}");
        assert!(text.ends_with("\n<?xpacket end='w'?>\nendstream"), "{text}");
    }
}
