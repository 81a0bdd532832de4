//! Rebuilding after an edit, doing only what the edit needs: a stylesheet or template change
//! re-renders the pages from the last resolved brief (no Markdown parsing, no citation
//! formatting); a change to the text, data or references runs the whole pipeline.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::diagnostic::Diagnostics;
use crate::render::{self, Site};
use crate::resolve::{self, ResolvedDocument};
use crate::{load, parse};

/// What an edit touched, from least to most work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// `static/`: pages unchanged, files re-read.
    Static,
    /// `templates/`: pages re-rendered.
    Templates,
    /// The text, data or references: the whole pipeline.
    Everything,
}

impl Change {
    /// Which part of a brief in `folder` the file at `path` belongs to.
    pub fn of(folder: &Path, path: &Path) -> Change {
        match path
            .strip_prefix(folder)
            .ok()
            .and_then(|p| p.components().next())
        {
            Some(first) if first.as_os_str() == "static" => Change::Static,
            Some(first) if first.as_os_str() == "templates" => Change::Templates,
            _ => Change::Everything,
        }
    }
}

/// Keeps the last resolved brief so that small edits skip the expensive stages.
pub struct Builder {
    root: PathBuf,
    folder: PathBuf,
    resolved: Option<ResolvedDocument>,
}

impl Builder {
    pub fn new(root: &Path) -> Builder {
        let folder = if root.is_file() {
            root.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf()
        } else {
            root.to_path_buf()
        };
        Builder {
            root: root.to_path_buf(),
            folder,
            resolved: None,
        }
    }

    /// The folder whose files make up the brief.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The site, and a line for the terminal; or the error message, as `build` prints it.
    pub fn rebuild(&mut self, change: Change) -> Result<(Site, String), String> {
        let started = Instant::now();
        let result = self.run(change);
        let elapsed = started.elapsed().as_millis();
        match result {
            Ok((site, warnings, what)) => {
                let mut report = format!("rebuilt {what} in {elapsed} ms");
                match warnings {
                    0 => {}
                    1 => report.push_str(" (1 warning; `brief build` lists it)"),
                    n => report.push_str(&format!(" ({n} warnings; `brief build` lists them)")),
                }
                Ok((site, report))
            }
            Err(diagnostics) => Err(diagnostics.render()),
        }
    }

    fn run(&mut self, change: Change) -> Result<(Site, usize, &'static str), Diagnostics> {
        let project = if self.root.is_file() {
            load::load_single(&self.root)?
        } else {
            load::load(&self.root)?
        };
        let reuse = change < Change::Everything && self.resolved.is_some();
        if !reuse {
            let document = parse::parse(&project)?;
            self.resolved = Some(resolve::resolve(&project, document)?);
        }
        let Some(resolved) = &self.resolved else {
            return Err(Diagnostics::default());
        };
        let site = render::render(&project, resolved, None, None)?;
        let what = match (reuse, change) {
            (true, Change::Static) => "static files",
            (true, _) => "pages from templates",
            (false, _) => "everything",
        };
        Ok((site, resolved.warnings.len(), what))
    }
}
