//! A one-line legend above multi-series charts: a colour swatch and the column's name per series.

use plotters::prelude::*;

use super::{color, text_width, Area, DrawResult, FONT, INK, TICK_SIZE};

pub const HEIGHT: u32 = 36;

pub fn draw(area: &Area<'_>, names: &[&str]) -> DrawResult {
    let mut x = 16;
    for (index, name) in names.iter().enumerate() {
        area.draw(&Rectangle::new(
            [(x, 10), (x + 16, 26)],
            color(index).filled(),
        ))?;
        area.draw(&Text::new(
            name.to_string(),
            (x + 22, 10),
            (FONT, TICK_SIZE).into_font().color(&INK),
        ))?;
        x += 22 + text_width(name, TICK_SIZE) as i32 + 24;
    }
    Ok(())
}
