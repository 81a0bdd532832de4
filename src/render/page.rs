//! A page's template context, fingerprinted as it is filled: the fingerprint (its render key)
//! covers the templates and every value the template is given, so a page whose key the last
//! build recorded, and whose file is still as it was written, is left as it is instead of
//! rendered, minified and written again.

use serde::Serialize;
use tera::{Context, Tera};

use super::site::RenderedPage;
use super::templates::render_template;
use crate::diagnostic::Diagnostics;
use crate::fingerprint::Fingerprint;
use crate::load::Project;
use crate::previous::PreviousSite;

/// What every page is rendered with: the templates, their fingerprint (every page's key starts
/// from it), and the last build's pages, when they may be kept.
pub(super) struct Pages<'a> {
    pub(super) tera: &'a Tera,
    pub(super) project: &'a Project,
    templates: Fingerprint,
    previous: Option<&'a PreviousSite>,
}

impl<'a> Pages<'a> {
    pub(super) fn new(
        tera: &'a Tera,
        project: &'a Project,
        previous: Option<&'a PreviousSite>,
    ) -> Pages<'a> {
        let mut templates = Fingerprint::default();
        for (name, file) in &project.templates {
            templates.add(name);
            templates.add(&file.text);
        }
        Pages {
            tera,
            project,
            templates,
            previous,
        }
    }

    /// An empty context for a page of `template`.
    pub(super) fn context<'v>(&self, template: &'static str) -> PageContext<'v> {
        let mut key = self.templates.clone();
        key.add(template);
        PageContext {
            values: Vec::new(),
            template,
            key,
            json: Vec::new(),
        }
    }

    /// Renders the page at `path`, unless the last build's is still there, rendered from the
    /// same key.
    pub(super) fn render(
        &self,
        page: PageContext<'_>,
        path: &str,
    ) -> Result<RenderedPage, Diagnostics> {
        let key = page.key.finish();
        if self
            .previous
            .is_some_and(|previous| previous.has_page(path, &key))
        {
            return Ok(RenderedPage { key, html: None });
        }
        let mut context = Context::new();
        for put in page.values {
            put(&mut context);
        }
        let html = render_template(self.tera, self.project, page.template, &context)?;
        Ok(RenderedPage {
            key,
            html: Some(html),
        })
    }
}

/// Puts one value into a Tera context.
type PutValue<'v> = Box<dyn FnOnce(&mut Context) + 'v>;

/// The values of a page's Tera context, and the fingerprint of them. They go into a Tera
/// context only if the page is rendered: for a page carried over, turning them into template
/// values would cost more than the rest of it.
pub(super) struct PageContext<'v> {
    values: Vec<PutValue<'v>>,
    template: &'static str,
    key: Fingerprint,
    /// One buffer for each value's JSON in turn.
    json: Vec<u8>,
}

impl<'v> PageContext<'v> {
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &'v T) {
        self.key.add(name);
        // The JSON is what the template sees. (A value JSON cannot hold cannot go into a Tera
        // context either: Tera's insert fails on it.)
        self.json.clear();
        match serde_json::to_writer(&mut self.json, value) {
            Ok(()) => self.key.add_bytes(&self.json),
            Err(_) => self.key.add("\u{0}not JSON"),
        }
        self.values
            .push(Box::new(move |context| context.insert(name, value)));
    }
}
