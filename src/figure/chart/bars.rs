//! Bar charts, vertical and horizontal: simple, grouped (several value columns side by side),
//! stacked, and range bars (low–high estimates such as "80–93%"). Values are written on or next to
//! the bars where they fit; the exact numbers are always in the table under the figure.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    category_chart, color, format_number, ink_on, text_width, Area, ChartData, ChartInput,
    DrawResult, FONT, INK, TICK_SIZE, VALUE_SIZE, WIDTH,
};
use crate::figure::spec::ChartKind;

/// One rectangle to draw, in data units along the value axis.
struct Bar {
    category: usize,
    from: f64,
    to: f64,
    series: usize,
    /// Position among the bars sharing a category's band (grouped bars), and how many share it.
    slot: usize,
    slots: usize,
    label: String,
    /// Stacked segments carry their label inside; the others just past their end.
    inside: bool,
}

fn layout(kind: ChartKind, data: &ChartData) -> Vec<Bar> {
    let mut bars = Vec::new();
    for category in 0..data.categories.len() {
        match kind {
            ChartKind::StackedBar | ChartKind::StackedBarHorizontal => {
                let (mut up, mut down) = (0.0, 0.0);
                for (series, values) in data.series.iter().enumerate() {
                    let value = values.values[category];
                    let base = if value >= 0.0 { &mut up } else { &mut down };
                    let from = *base;
                    *base += value;
                    let label = format_number(value);
                    bars.push(Bar {
                        category,
                        from,
                        to: *base,
                        series,
                        slot: 0,
                        slots: 1,
                        label,
                        inside: true,
                    });
                }
            }
            ChartKind::RangeBar => {
                let (low, high) = (
                    data.series[0].values[category],
                    data.series[1].values[category],
                );
                let label = format!("{}–{}", format_number(low), format_number(high));
                bars.push(Bar {
                    category,
                    from: low,
                    to: high,
                    series: 0,
                    slot: 0,
                    slots: 1,
                    label,
                    inside: false,
                });
            }
            _ => {
                let slots = data.series.len();
                for (series, values) in data.series.iter().enumerate() {
                    let to = values.values[category];
                    let label = format_number(to);
                    bars.push(Bar {
                        category,
                        from: 0.0,
                        to,
                        series,
                        slot: series,
                        slots,
                        label,
                        inside: false,
                    });
                }
            }
        }
    }
    bars
}

/// The value axis: from the lowest to the highest end (always including zero for bars), with room
/// for labels past the ends.
pub fn value_range(
    starts: impl Iterator<Item = f64>,
    ends: impl Iterator<Item = f64>,
) -> (f64, f64) {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for value in starts.chain(ends) {
        low = low.min(value);
        high = high.max(value);
    }
    if !low.is_finite() || !high.is_finite() {
        return (0.0, 1.0);
    }
    let span = if high > low {
        high - low
    } else {
        high.abs().max(1.0)
    };
    let pad = span * 0.16;
    (
        if low < 0.0 { low - pad } else { low },
        if high > 0.0 {
            high + pad
        } else {
            high + pad * 0.1
        },
    )
}

/// Always from zero, so that bar lengths (and a range's position) compare honestly.
fn axis_range(bars: &[Bar]) -> (f64, f64) {
    value_range(
        bars.iter().map(|b| b.from).chain([0.0]),
        bars.iter().map(|b| b.to),
    )
}

/// Where a bar sits across its category's band, in pixels from the band's leading edge.
struct Placement {
    lead: f64,
    trail: f64,
    /// From the band's centre to the bar's centre.
    offset: f64,
}

fn place(bar: &Bar, band: f64) -> Placement {
    let width = band * 0.72 / bar.slots as f64;
    let lead = band * 0.14 + bar.slot as f64 * width;
    Placement {
        lead,
        trail: band - lead - width,
        offset: lead + width / 2.0 - band / 2.0,
    }
}

pub fn draw_vertical(area: &Area<'_>, input: &ChartInput<'_>) -> DrawResult {
    let data = input.data;
    let count = data.categories.len();
    let bars = layout(input.kind, data);
    let (low, high) = axis_range(&bars);
    let mut chart = category_chart(area, input, low, high)?;
    let (plot_width, plot_height) = chart.plotting_area().dim_in_pixel();
    let band = f64::from(plot_width) / count as f64;
    let per_unit = f64::from(plot_height) / (high - low);
    for bar in &bars {
        let at = place(bar, band);
        let mut rect = Rectangle::new(
            [
                (SegmentValue::Exact(bar.category), bar.from),
                (SegmentValue::Exact(bar.category + 1), bar.to),
            ],
            color(bar.series).filled(),
        );
        rect.set_margin(0, 0, at.lead as u32, at.trail as u32);
        chart.draw_series([rect])?;
        let bar_width = (band - at.lead - at.trail) as u32;
        if bar.inside {
            let fits = (bar.to - bar.from).abs() * per_unit >= f64::from(VALUE_SIZE) + 6.0
                && text_width(&bar.label, VALUE_SIZE) + 4 <= bar_width;
            if fits {
                let text_color = ink_on(color(bar.series));
                let style = TextStyle::from((FONT, VALUE_SIZE).into_font())
                    .color(&text_color)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let middle = (bar.from + bar.to) / 2.0;
                chart.draw_series([EmptyElement::at((
                    SegmentValue::CenterOf(bar.category),
                    middle,
                )) + Text::new(
                    bar.label.clone(),
                    (at.offset as i32, 0),
                    style,
                )])?;
            }
        } else if text_width(&bar.label, VALUE_SIZE) <= bar_width + 12 {
            let below = bar.to < 0.0;
            let style = TextStyle::from((FONT, VALUE_SIZE).into_font())
                .color(&INK)
                .pos(Pos::new(
                    HPos::Center,
                    if below { VPos::Top } else { VPos::Bottom },
                ));
            let dy = if below { 4 } else { -4 };
            chart.draw_series([EmptyElement::at((
                SegmentValue::CenterOf(bar.category),
                bar.to,
            )) + Text::new(
                bar.label.clone(),
                (at.offset as i32, dy),
                style,
            )])?;
        }
    }
    Ok(())
}

pub fn draw_horizontal(area: &Area<'_>, input: &ChartInput<'_>) -> DrawResult {
    let data = input.data;
    let count = data.categories.len();
    let bars = layout(input.kind, data);
    let (low, high) = axis_range(&bars);
    let label_width = data
        .categories
        .iter()
        .map(|c| text_width(c, TICK_SIZE))
        .max()
        .unwrap_or(40)
        + 16;
    let mut chart = ChartBuilder::on(area)
        .margin(12)
        .margin_right(24)
        .x_label_area_size(48)
        .y_label_area_size(label_width.min(WIDTH * 2 / 5))
        .build_cartesian_2d(low..high, (0..count.saturating_sub(1)).into_segmented())?;
    let categories = data.categories.clone();
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
                .and_then(|row| categories.get(row))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        })
        .x_labels(6)
        .x_label_formatter(&|v| format_number(*v))
        .x_desc(input.unit.unwrap_or(""))
        .label_style((FONT, TICK_SIZE).into_font().color(&INK))
        .axis_desc_style((FONT, TICK_SIZE).into_font().color(&INK))
        .draw()?;
    let (plot_width, plot_height) = chart.plotting_area().dim_in_pixel();
    let band = f64::from(plot_height) / count as f64;
    let per_unit = f64::from(plot_width) / (high - low);
    for bar in &bars {
        let row = count - 1 - bar.category;
        let at = place(bar, band);
        let mut rect = Rectangle::new(
            [
                (bar.from, SegmentValue::Exact(row)),
                (bar.to, SegmentValue::Exact(row + 1)),
            ],
            color(bar.series).filled(),
        );
        rect.set_margin(at.lead as u32, at.trail as u32, 0, 0);
        chart.draw_series([rect])?;
        if bar.inside {
            let fits = (bar.to - bar.from).abs() * per_unit
                >= f64::from(text_width(&bar.label, VALUE_SIZE) + 8);
            if fits {
                let text_color = ink_on(color(bar.series));
                let style = TextStyle::from((FONT, VALUE_SIZE).into_font())
                    .color(&text_color)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let middle = (bar.from + bar.to) / 2.0;
                chart.draw_series([EmptyElement::at((middle, SegmentValue::CenterOf(row)))
                    + Text::new(bar.label.clone(), (0, at.offset as i32), style)])?;
            }
        } else {
            let left = bar.to < bar.from.min(0.0);
            let style = TextStyle::from((FONT, VALUE_SIZE).into_font())
                .color(&INK)
                .pos(Pos::new(
                    if left { HPos::Right } else { HPos::Left },
                    VPos::Center,
                ));
            let end = if left { bar.to } else { bar.to.max(bar.from) };
            chart.draw_series([EmptyElement::at((end, SegmentValue::CenterOf(row)))
                + Text::new(
                    bar.label.clone(),
                    (if left { -6 } else { 6 }, at.offset as i32),
                    style,
                )])?;
        }
    }
    Ok(())
}
