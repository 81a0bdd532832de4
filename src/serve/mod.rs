//! `brief serve`: builds the brief, serves it on 127.0.0.1 from memory, watches its files,
//! rebuilds what an edit needs, and tells open pages to reload (or shows the error over them).

mod http;
mod rebuild;
mod request;
mod site;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, RwLock};

use crate::diagnostic::Diagnostic;
use crate::render::Site;
pub use rebuild::{Builder, Change};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// 0 lets the system choose a free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// What the server shows: the last good site, and the error of the last build if it failed.
#[derive(Default)]
pub struct Shared {
    pub site: RwLock<Option<Arc<Site>>>,
    pub error: RwLock<Option<String>>,
    /// One sender per open page's event stream.
    pub clients: Mutex<Vec<Sender<Event>>>,
}

/// What open pages are told.
#[derive(Debug, Clone)]
pub enum Event {
    Reload,
    /// The terminal's message (file:line:col included).
    Failure(String),
}

impl Shared {
    /// Sends `event` to every open page, forgetting the ones that have gone.
    pub fn broadcast(&self, event: &Event) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|client| client.send(event.clone()).is_ok());
        }
    }

    /// Records a build's outcome and tells the open pages.
    pub fn publish(&self, outcome: Result<Site, String>) {
        match outcome {
            Ok(site) => {
                if let Ok(mut slot) = self.site.write() {
                    *slot = Some(Arc::new(site));
                }
                if let Ok(mut error) = self.error.write() {
                    *error = None;
                }
                self.broadcast(&Event::Reload);
            }
            Err(message) => {
                if let Ok(mut error) = self.error.write() {
                    *error = Some(message.clone());
                }
                self.broadcast(&Event::Failure(message));
            }
        }
    }
}

/// Serves the brief in `root` (a folder, or one Markdown file) until the process is stopped.
pub fn serve(root: &Path, options: &ServeOptions) -> Result<(), Diagnostic> {
    let server = http::bind(options.port)?;
    let address = server.address();
    let shared = Arc::new(Shared::default());
    let mut builder = Builder::new(root);
    shared.publish(first_build(&mut builder));
    // Watch before announcing the address, so that no edit made after it can be missed.
    let watch_root: PathBuf = builder.folder().to_path_buf();
    let _watcher = watch::start(&watch_root, builder, Arc::clone(&shared))?;
    println!("serving http://{address}/ (Ctrl-C to stop)");
    flush_stdout();
    if options.open {
        open_browser(&format!("http://{address}/"));
    }
    http::run(&server, &shared);
    Ok(())
}

fn first_build(builder: &mut Builder) -> Result<Site, String> {
    let outcome = builder.rebuild(Change::Everything);
    match &outcome {
        Ok((_, report)) => println!("{report}"),
        Err(message) => eprint!("{message}"),
    }
    flush_stdout();
    outcome.map(|(site, _)| site)
}

fn flush_stdout() {
    use std::io::Write;
    let _ = std::io::stdout().flush();
}

/// Best effort: the server works whether or not a browser opens.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
