//! Line charts: one or more series over ordered categories (years, quarters), points marked.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::bars::value_range;
use super::{
    category_chart, color, format_number, Area, ChartInput, DrawResult, FONT, INK, VALUE_SIZE,
};

pub fn draw(area: &Area<'_>, input: &ChartInput<'_>) -> DrawResult {
    let data = input.data;
    let count = data.categories.len();
    let all = data.series.iter().flat_map(|s| s.values.iter().copied());
    let (low, high) = value_range(all.clone().chain([0.0]), all);
    let mut chart = category_chart(area, input, low, high)?;
    let label_style = TextStyle::from((FONT, VALUE_SIZE).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    for (index, series) in data.series.iter().enumerate() {
        let points: Vec<_> = series
            .values
            .iter()
            .enumerate()
            .map(|(i, &v)| (SegmentValue::CenterOf(i), v))
            .collect();
        chart.draw_series(LineSeries::new(
            points.clone(),
            color(index).stroke_width(3),
        ))?;
        chart.draw_series(
            points
                .iter()
                .map(|point| Circle::new(point.clone(), 4, color(index).filled())),
        )?;
        // One series and few points: every value fits above its point.
        if data.series.len() == 1 && count <= 12 {
            chart.draw_series(points.iter().map(|(x, v)| {
                EmptyElement::at((x.clone(), *v))
                    + Text::new(format_number(*v), (0, -8), label_style.clone())
            }))?;
        }
    }
    Ok(())
}
