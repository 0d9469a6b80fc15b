//! What a Chinese government website must carry (政府网站发展指引, 国办发〔2017〕47号, and the
//! inspection indicators): the page metadata on every page and the article metadata on every
//! article, a site map for readers listing what `sitemap.xml` lists, and `check` naming each
//! missing footer item.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use common::{build, default_site, ecosite, stderr};

/// The `<meta name content>` pairs of a page, as html5ever reads them (not the code under test).
fn metadata(html: &str) -> BTreeMap<String, String> {
    meta_tags::parse(html)
}

mod meta_tags {
    use std::cell::RefCell;
    use std::collections::BTreeMap;

    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, StartTag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    };

    #[derive(Default)]
    struct Metas(RefCell<BTreeMap<String, String>>);

    impl TokenSink for Metas {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let TagToken(tag) = token {
                if tag.kind == StartTag && &*tag.name == "meta" {
                    let get = |n: &str| {
                        tag.attrs
                            .iter()
                            .find(|a| &*a.name.local == n)
                            .map(|a| a.value.to_string())
                    };
                    if let Some(name) = get("name") {
                        self.0
                            .borrow_mut()
                            .insert(name, get("content").unwrap_or_default());
                    }
                }
            }
            TokenSinkResult::Continue
        }
    }

    pub fn parse(html: &str) -> BTreeMap<String, String> {
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let tokenizer = Tokenizer::new(Metas::default(), Default::default());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.0.take()
    }
}

fn pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let page = e.path().strip_prefix(out).unwrap().display().to_string();
            (page, fs::read_to_string(e.path()).unwrap())
        })
        .filter(|(page, _)| !page.starts_with("archive/"))
        .collect()
}

const SITE: [&str; 7] = [
    "SiteName",
    "SiteDomain",
    "SiteIDCode",
    "ColumnName",
    "ColumnDescription",
    "ColumnKeywords",
    "ColumnType",
];
const ARTICLE: [&str; 6] = [
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Description",
    "Url",
];

#[test]
fn every_page_carries_the_metadata_and_every_article_its_own() {
    let site = default_site();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let mut articles = BTreeSet::new();
    for (page, html) in pages(&out) {
        let meta = metadata(&html);
        for name in SITE {
            assert!(
                meta.get(name).is_some_and(|v| !v.trim().is_empty()),
                "{page} lacks {name}: {meta:?}"
            );
        }
        assert_eq!(meta["SiteDomain"], "sthjj.wuhu.gov.cn", "{page}");
        assert_eq!(meta["SiteIDCode"], "3402000000", "{page}");
        let is_article = page.starts_with("summaries/") && page.matches('/').count() == 3
            || [
                "about/",
                "methodology/",
                "licence/",
                "environment-day/2024/",
            ]
            .iter()
            .any(|p| page.starts_with(p));
        if is_article {
            articles.insert(page.clone());
            for name in ARTICLE {
                assert!(
                    meta.get(name).is_some_and(|v| !v.trim().is_empty()),
                    "{page} lacks {name}: {meta:?}"
                );
            }
            assert!(meta["Url"].starts_with("https://sthjj.wuhu.gov.cn/ecosite/"));
            assert!(
                html.contains("来源：") && html.contains("发布时间："),
                "{page} shows its source and date"
            );
        } else {
            assert!(!meta.contains_key("ArticleTitle"), "{page} is no article");
        }
    }
    assert!(articles.len() >= 20, "{articles:?}");
    let summary =
        fs::read_to_string(out.join("summaries/air/2024-q2-blue-sky/index.html")).unwrap();
    assert_eq!(metadata(&summary)["ColumnName"], "工作进展");
    assert_eq!(metadata(&summary)["PubDate"], "2024-07-10");
}

#[test]
fn the_site_map_lists_every_page_of_sitemap_xml() {
    let site = default_site();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let xml = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let base = "https://sthjj.wuhu.gov.cn";
    let locs: Vec<&str> = xml
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .map(|l| l.strip_prefix(base).unwrap())
        .collect();
    // sitemap.xml percent-encodes; the page's links are written as they read.
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    assert!(locs.len() > 200, "{}", locs.len());
    let page = fs::read_to_string(out.join("sitemap/index.html")).unwrap();
    for loc in locs.iter().map(|l| decode(l)) {
        assert!(
            page.contains(&format!("href={loc}>")) || page.contains(&format!("href=\"{loc}\"")),
            "{loc} is not on the site map"
        );
    }
    assert!(
        locs.contains(&"/ecosite/sitemap/"),
        "the site map is a page itself"
    );
    // Every page links it, and the contact page.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("网站地图") && home.contains("/ecosite/contact/"));
    let contact = fs::read_to_string(out.join("contact/index.html")).unwrap();
    assert!(contact.contains("办公时间") && contact.contains("0553-0000000"));
}

#[test]
fn check_names_each_missing_footer_item_in_site_yaml() {
    let site = default_site();
    let path = site.path().join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| {
            ![
                "  emblem:",
                "  emblem_url:",
                "  icp_url:",
                "  police_url:",
                "  police_badge:",
                "  error_report_url:",
            ]
            .iter()
            .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&path, kept).unwrap();
    let result = ecosite(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(0), "warnings only");
    let err = stderr(&result);
    for item in [
        "党政机关网站标识（",
        "党政机关网站标识的核验链接",
        "ICP备案号的查询链接",
        "公安备案号的查询链接",
        "公安备案图标",
        "“我为政府网站找错”入口",
    ] {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.contains("W0801") && l.contains(&format!("页脚缺少{item}")))
            .collect();
        assert_eq!(lines.len(), 1, "one warning for {item}: {err}");
    }
    assert!(err.matches("content/site.yaml").count() >= 6, "{err}");
    // The complete default footer gives none of them.
    let clean = ecosite(&["check", "--root", default_site().path().to_str().unwrap()]);
    assert!(!stderr(&clean).contains("页脚缺少"), "{}", stderr(&clean));
}

#[test]
fn a_column_is_named_as_site_yaml_says() {
    let site = default_site();
    let path = site.path().join("content/site.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "  targets: { description:",
        "  targets: { name: 年度目标, description:",
    );
    fs::write(&path, text).unwrap();
    let out = site.path().join("public");
    let built = build(site.path(), &out);
    assert!(built.status.success(), "{}", stderr(&built));
    let page = fs::read_to_string(out.join("targets/pm25/index.html")).unwrap();
    assert!(page.contains(">年度目标</a>"), "the navigation names it");
    assert_eq!(metadata(&page)["ColumnName"], "年度目标");
}
