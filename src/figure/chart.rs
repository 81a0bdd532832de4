//! Draws a figure's series as SVG with plotters, then makes the SVG fit a web page: it scales to
//! the column (`viewBox`), takes its text colour from the page (light and dark themes), and tells
//! screen readers what it shows (`role="img"`, `<title>`, `<desc>`).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Series;
use super::spec::ChartKind;
use crate::html::escape;

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
const FONT: &str = "sans-serif";
const WIDTH: u32 = 720;

/// What to draw and how to label it.
pub struct ChartInput<'a> {
    pub kind: ChartKind,
    pub series: &'a Series,
    pub chart_title: Option<&'a str>,
    pub unit: Option<&'a str>,
    /// Id for the SVG's `<title>`/`<desc>`, unique on the page.
    pub id: &'a str,
    pub title: &'a str,
    pub alt: &'a str,
}

/// The chart as an SVG element ready to inline in HTML.
pub fn render_svg(input: &ChartInput<'_>) -> Result<String, String> {
    let height = match input.kind {
        ChartKind::BarHorizontal => 90 + 34 * input.series.values.len() as u32,
        ChartKind::Bar => 420,
        ChartKind::Pie | ChartKind::Donut => 380,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let result = match input.kind {
            ChartKind::BarHorizontal => draw_horizontal_bars(&root, input),
            ChartKind::Bar => draw_vertical_bars(&root, input),
            ChartKind::Pie | ChartKind::Donut => draw_pie(&root, input),
        };
        result.map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(make_accessible(&svg, input))
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

fn title_area<'a>(
    root: &DrawingArea<SVGBackend<'a>, Shift>,
    input: &ChartInput<'_>,
) -> Result<DrawingArea<SVGBackend<'a>, Shift>, String> {
    match input.chart_title {
        Some(title) => root
            .titled(
                title,
                (FONT, 22).into_font().style(FontStyle::Bold).color(&INK),
            )
            .map_err(|e| e.to_string()),
        None => Ok(root.clone()),
    }
}

fn draw_horizontal_bars(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    input: &ChartInput<'_>,
) -> DrawResult {
    let area = title_area(root, input)?;
    let series = input.series;
    let count = series.values.len();
    let max = series.values.iter().copied().fold(0.0_f64, f64::max);
    let label_width = series
        .labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(4) as u32
        * 8
        + 16;
    let mut chart = ChartBuilder::on(&area)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(40)
        .y_label_area_size(label_width.min(WIDTH / 3))
        .build_cartesian_2d(0.0..max * 1.18, (0..count).into_segmented())?;
    let labels = series.labels.clone();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(INK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.6))
        .y_labels(count)
        .y_label_formatter(&|value| match value {
            // Rows read top to bottom in the data's order.
            SegmentValue::CenterOf(i) => count
                .checked_sub(1 + *i)
                .and_then(|row| labels.get(row))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_label_formatter(&|v| format_number(*v))
        .x_desc(input.unit.unwrap_or(""))
        .label_style((FONT, 15).into_font().color(&INK))
        .axis_desc_style((FONT, 15).into_font().color(&INK))
        .draw()?;
    let color = PALETTE[0];
    chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
        let row = count - 1 - i;
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(row)),
                (v, SegmentValue::Exact(row + 1)),
            ],
            color.filled(),
        );
        bar.set_margin(5, 5, 0, 0);
        bar
    }))?;
    let label_style = TextStyle::from((FONT, 14).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
        // Just past the bar's end, offset in pixels (SVG collapses leading spaces).
        let row = count - 1 - i;
        EmptyElement::at((v, SegmentValue::CenterOf(row)))
            + Text::new(format_number(v), (6, 0), label_style.clone())
    }))?;
    Ok(())
}

fn draw_vertical_bars(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    input: &ChartInput<'_>,
) -> DrawResult {
    let area = title_area(root, input)?;
    let series = input.series;
    let count = series.values.len();
    let max = series.values.iter().copied().fold(0.0_f64, f64::max);
    let mut chart = ChartBuilder::on(&area)
        .margin(10)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((0..count).into_segmented(), 0.0..max * 1.15)?;
    let labels = series.labels.clone();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(INK.mix(0.12))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.6))
        .x_labels(count)
        .x_label_formatter(&|value| match value {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|v| format_number(*v))
        .y_desc(input.unit.unwrap_or(""))
        .label_style((FONT, 15).into_font().color(&INK))
        .axis_desc_style((FONT, 15).into_font().color(&INK))
        .draw()?;
    let color = PALETTE[0];
    chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
        let mut bar = Rectangle::new(
            [
                (SegmentValue::Exact(i), 0.0),
                (SegmentValue::Exact(i + 1), v),
            ],
            color.filled(),
        );
        bar.set_margin(0, 0, 8, 8);
        bar
    }))?;
    let label_style = TextStyle::from((FONT, 14).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    chart.draw_series(series.values.iter().enumerate().map(|(i, &v)| {
        EmptyElement::at((SegmentValue::CenterOf(i), v))
            + Text::new(format_number(v), (0, -4), label_style.clone())
    }))?;
    Ok(())
}

fn draw_pie(root: &DrawingArea<SVGBackend<'_>, Shift>, input: &ChartInput<'_>) -> DrawResult {
    let area = title_area(root, input)?;
    let (width, height) = area.dim_in_pixel();
    let series = input.series;
    let total: f64 = series.values.iter().sum();
    let center = ((width / 2) as i32, (height / 2) as i32);
    let radius = f64::from(height.min(width)) * 0.36;
    let colors: Vec<RGBColor> = (0..series.values.len())
        .map(|i| PALETTE[i % PALETTE.len()])
        .collect();
    let labels: Vec<String> = series
        .labels
        .iter()
        .zip(&series.values)
        .map(|(label, value)| format!("{label} {}", format_share(*value, total)))
        .collect();
    let mut pie = Pie::new(&center, &radius, &series.values, &colors, &labels);
    pie.start_angle(-90.0);
    pie.label_style((FONT, 16).into_font().color(&INK));
    pie.label_offset(radius * 0.12);
    if input.kind == ChartKind::Donut {
        pie.donut_hole(radius * 0.55);
    }
    area.draw(&pie)?;
    Ok(())
}

/// "270000" → "270,000"; "12.5" stays.
pub fn format_number(value: f64) -> String {
    if value.fract().abs() > 1e-9 {
        let text = format!("{value:.2}");
        return text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    let digits = format!("{}", value.abs().round() as u64);
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if value < 0.0 {
        format!("−{grouped}")
    } else {
        grouped
    }
}

fn format_share(value: f64, total: f64) -> String {
    if total <= 0.0 {
        return String::new();
    }
    let percent = value / total * 100.0;
    if (percent - percent.round()).abs() < 0.05 {
        format!("{percent:.0}%")
    } else {
        format!("{percent:.1}%")
    }
}

/// Scales with its column, inherits the page's text colour, and is described for screen readers.
fn make_accessible(svg: &str, input: &ChartInput<'_>) -> String {
    let ink = "#010203";
    let svg = svg.replace(&format!("fill=\"{ink}\""), "fill=\"currentColor\"");
    let svg = svg.replace(&format!("stroke=\"{ink}\""), "stroke=\"currentColor\"");
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    let opening = &svg[..open_end];
    // Width and height would fix the size; the viewBox alone lets CSS scale it.
    let opening: String = opening
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
        assert_eq!(format_number(-2500.0), "−2,500");
    }
}
