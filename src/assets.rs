//! The built-in templates and static files, embedded in the binary so that `brief` builds a
//! folder that has none. A brief's own `templates/` and `static/` files win over these by name.

/// Default Tera templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("section.html", include_str!("../templates/section.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("figure.html", include_str!("../templates/figure.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("audit.html", include_str!("../templates/audit.html")),
];

/// Default static files: (path inside the site, bytes).
pub const STATIC_FILES: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("brief.js", include_bytes!("../static/brief.js")),
];
