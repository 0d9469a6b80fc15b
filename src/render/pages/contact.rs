//! 联系我们: the bureau's address, phone, e-mail and office hours, from site.yaml `contact`.

use tera::TeraResult;

use super::{Ctx, Family, Job, PageContext};
use crate::model::route::Route;
use crate::model::Model;
use crate::render::view::Meta;

pub struct Contact;

impl Family for Contact {
    fn jobs<'a>(&self, _model: &'a Model) -> Vec<Job<'a>> {
        vec![Job::new(
            Route::contact(),
            "联系我们",
            "contact.html",
            contact,
        )]
    }
}

fn contact(cx: &Ctx, meta: &mut Meta, _c: &mut PageContext) -> TeraResult<()> {
    let config = &cx.model.config;
    meta.description = format!(
        "{}的地址、电话、电子邮箱和办公时间",
        config.organization.as_deref().unwrap_or(&config.title)
    );
    meta.section = "contact".into();
    meta.breadcrumbs = vec![cx.home()];
    Ok(())
}
