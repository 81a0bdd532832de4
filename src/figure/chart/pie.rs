//! Pie and donut charts: shares of a whole, each slice labelled with its category and percentage.

use plotters::prelude::*;

use super::{color, Area, ChartInput, DrawResult, FONT, INK};
use crate::figure::spec::ChartKind;

pub fn draw(area: &Area<'_>, input: &ChartInput<'_>) -> DrawResult {
    let (width, height) = area.dim_in_pixel();
    let data = input.data;
    let values = &data.series[0].values;
    let total: f64 = values.iter().sum();
    let center = ((width / 2) as i32, (height / 2) as i32);
    let radius = f64::from(height.min(width)) * 0.36;
    let colors: Vec<RGBColor> = (0..values.len()).map(color).collect();
    let labels: Vec<String> = data
        .categories
        .iter()
        .zip(values)
        .map(|(label, value)| format!("{label} {}", share(*value, total)))
        .collect();
    let mut pie = Pie::new(&center, &radius, values, &colors, &labels);
    pie.start_angle(-90.0);
    pie.label_style((FONT, 17).into_font().color(&INK));
    pie.label_offset(radius * 0.14);
    if input.kind == ChartKind::Donut {
        pie.donut_hole(radius * 0.55);
    }
    area.draw(&pie)?;
    Ok(())
}

/// A value's share of the total as a percentage: "90%", or "12.5%" when it is not whole.
fn share(value: f64, total: f64) -> String {
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
