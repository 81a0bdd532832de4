//! Draws a figure's data as SVG with plotters, then makes the SVG fit a web page: it scales to
//! the column (`viewBox`), takes its text colour from the page (light and dark themes), and tells
//! screen readers what it shows (`role="img"`, `<title>`, `<desc>`).

mod bars;
mod legend;
mod line;
mod pie;

use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::spec::ChartKind;
use crate::html::escape;

/// Categories and one or more series of numbers, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The column's name, shown in the legend.
    pub name: String,
    pub values: Vec<f64>,
}

/// What to draw and how to label it.
pub struct ChartInput<'a> {
    pub kind: ChartKind,
    pub data: &'a ChartData,
    pub chart_title: Option<&'a str>,
    pub unit: Option<&'a str>,
    /// Id for the SVG's `<title>`/`<desc>`, unique on the page.
    pub id: &'a str,
    pub title: &'a str,
    pub alt: &'a str,
}

/// Okabe–Ito colours: told apart with any colour vision, readable on light and dark backgrounds.
const PALETTE: &[RGBColor] = &[
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];

/// Placeholder colour for text and axes, replaced by `currentColor` after drawing.
const INK: RGBColor = RGBColor(1, 2, 3);
const INK_HEX: &str = "#010203";
const FONT: &str = "sans-serif";
/// Narrow enough that 16-pixel text stays legible when a phone scales the chart to its width.
const WIDTH: u32 = 560;
const TICK_SIZE: u32 = 17;
const VALUE_SIZE: u32 = 16;

type DrawResult = Result<(), Box<dyn std::error::Error>>;
type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// Categories along the bottom, values up the side: vertical bars and lines.
type CategoryChart<'a> =
    ChartContext<'a, SVGBackend<'a>, Cartesian2d<SegmentedCoord<RangedCoordusize>, RangedCoordf64>>;

/// The axes and grid shared by vertical bars and line charts, drawn and ready for the data.
fn category_chart<'a>(
    area: &Area<'a>,
    input: &ChartInput<'_>,
    low: f64,
    high: f64,
) -> Result<CategoryChart<'a>, Box<dyn std::error::Error>> {
    let count = input.data.categories.len();
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(44)
        .y_label_area_size(90)
        .build_cartesian_2d((0..count.saturating_sub(1)).into_segmented(), low..high)?;
    let categories = &input.data.categories;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(INK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.6))
        .x_labels(count)
        .x_label_formatter(&|value| match value {
            SegmentValue::CenterOf(i) => categories.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| format_number(*v))
        .y_desc(input.unit.unwrap_or(""))
        .label_style((FONT, TICK_SIZE).into_font().color(&INK))
        .axis_desc_style((FONT, TICK_SIZE).into_font().color(&INK))
        .draw()?;
    Ok(chart)
}

fn color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Text drawn on top of a colour: black on light colours, white on dark ones.
fn ink_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
    if luminance > 140.0 {
        BLACK
    } else {
        WHITE
    }
}

/// The chart as an SVG element ready to inline in HTML.
pub fn render_svg(input: &ChartInput<'_>) -> Result<String, String> {
    let rows = input.data.categories.len() as u32;
    let series = input.data.series.len() as u32;
    let legend = if input.kind.shows_legend() && series > 1 {
        legend::HEIGHT
    } else {
        0
    };
    let title = if input.chart_title.is_some() { 44 } else { 0 };
    let plot = match input.kind {
        ChartKind::BarHorizontal => 60 + rows * (12 + 24 * series),
        ChartKind::StackedBarHorizontal | ChartKind::RangeBar => 60 + rows * 44,
        ChartKind::Bar | ChartKind::StackedBar | ChartKind::Line => 400,
        ChartKind::Pie | ChartKind::Donut => 360,
    };
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, plot + legend + title)).into_drawing_area();
        let area = match input.chart_title {
            Some(text) => root
                .titled(
                    text,
                    (FONT, 22).into_font().style(FontStyle::Bold).color(&INK),
                )
                .map_err(|e| e.to_string())?,
            None => root.clone(),
        };
        let area = if legend > 0 {
            let (top, rest) = area.split_vertically(legend);
            let names: Vec<&str> = input.data.series.iter().map(|s| s.name.as_str()).collect();
            legend::draw(&top, &names).map_err(|e| e.to_string())?;
            rest
        } else {
            area
        };
        let result = match input.kind {
            ChartKind::Bar | ChartKind::StackedBar => bars::draw_vertical(&area, input),
            ChartKind::BarHorizontal | ChartKind::StackedBarHorizontal | ChartKind::RangeBar => {
                bars::draw_horizontal(&area, input)
            }
            ChartKind::Line => line::draw(&area, input),
            ChartKind::Pie | ChartKind::Donut => pie::draw(&area, input),
        };
        result.map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(make_accessible(&svg, input))
}

/// "270000" → "270,000"; "12.5" stays; negative numbers get a real minus sign.
pub fn format_number(value: f64) -> String {
    let sign = if value < 0.0 { "−" } else { "" };
    let value = value.abs();
    let whole = value.trunc();
    let fraction = value - whole;
    let digits = format!("{}", whole as u64);
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if fraction > 1e-9 {
        let decimals = format!("{fraction:.2}");
        let decimals = decimals.trim_start_matches('0').trim_end_matches('0');
        grouped.push_str(decimals);
    }
    format!("{sign}{grouped}")
}

/// Width in pixels that `text` will roughly take at `size` (no font metrics at build time).
fn text_width(text: &str, size: u32) -> u32 {
    (text.chars().count() as f64 * f64::from(size) * 0.58).ceil() as u32
}

/// Scales with its column, inherits the page's text colour, and is described for screen readers.
fn make_accessible(svg: &str, input: &ChartInput<'_>) -> String {
    let svg = svg.replace(&format!("fill=\"{INK_HEX}\""), "fill=\"currentColor\"");
    let svg = svg.replace(&format!("stroke=\"{INK_HEX}\""), "stroke=\"currentColor\"");
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    // Width and height would fix the size; the viewBox alone lets CSS scale it.
    let opening: String = svg[..open_end]
        .split(' ')
        .filter(|attr| !attr.starts_with("width=") && !attr.starts_with("height="))
        .collect::<Vec<_>>()
        .join(" ");
    let id = escape(input.id);
    format!(
        "{opening} role=\"img\" aria-labelledby=\"{id}-svg-title {id}-svg-desc\" class=\"chart\"><title id=\"{id}-svg-title\">{}</title><desc id=\"{id}-svg-desc\">{}</desc>{}",
        escape(input.title),
        escape(input.alt),
        &svg[open_end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(format_number(270000.0), "270,000");
        assert_eq!(format_number(130.0), "130");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(format_number(1234.25), "1,234.25");
        assert_eq!(format_number(-2500.0), "−2,500");
    }
}
