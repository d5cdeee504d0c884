//! Small plotting helpers shared by the demos: line charts and image grids,
//! written as PNG with the DejaVu Sans font that ships in `assets/fonts/`.

use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

/// DejaVu Sans (Bitstream Vera licence, from Debian's `fonts-dejavu-core`).
static FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// Registers the font with plotters once; text is drawn only after this.
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TTF compiled into the binary.
        let _ =
            plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// One named line of a chart.
pub struct Series {
    /// Legend text.
    pub name: String,
    /// (x, y) points in order.
    pub points: Vec<(f32, f32)>,
    /// Line colour.
    pub color: RGBColor,
    /// Draw dots instead of a line.
    pub dots: bool,
}

/// A qualitative palette readable on a projector.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Axis labels and scale of a [`line_chart`].
pub struct Axes<'a> {
    /// The chart's title.
    pub title: &'a str,
    /// The x axis's label.
    pub x_label: &'a str,
    /// The y axis's label.
    pub y_label: &'a str,
    /// Logarithmic y axis (for losses).
    pub log_y: bool,
}

fn range(values: impl Iterator<Item = f32>, log: bool) -> (f32, f32) {
    let (lo, hi) = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .fold((f32::MAX, f32::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        return (0.0, 1.0);
    }
    if log {
        (lo * 0.8, hi * 1.25)
    } else {
        let pad = ((hi - lo) * 0.05).max(1e-6);
        (lo - pad, hi + pad)
    }
}

/// Draws `series` as a line chart of `size` pixels into the PNG `path`.
pub fn line_chart(
    path: &Path,
    size: (u32, u32),
    axes: &Axes<'_>,
    series: &[Series],
) -> Result<(), Box<dyn std::error::Error>> {
    line_charts(path, size, &[(axes, series)])
}

/// Draws several line charts side by side into the PNG `path`.
pub fn line_charts(
    path: &Path,
    size: (u32, u32),
    panels: &[(&Axes<'_>, &[Series])],
) -> Result<(), Box<dyn std::error::Error>> {
    register_font();
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    let areas = root.split_evenly((1, panels.len().max(1)));
    for (area, (axes, series)) in areas.iter().zip(panels) {
        draw_panel(area, axes, series)?;
    }
    root.present()?;
    Ok(())
}

/// A tick label: integers without ".0", small numbers with enough digits.
fn tick(v: &f32) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if a >= 1000.0 && (v.round() - v).abs() < 1e-3 {
        format!("{}", *v as i64)
    } else if a >= 1.0 {
        format!("{}", (v * 100.0).round() / 100.0)
    } else if a >= 1e-3 {
        format!("{}", (v * 1e4).round() / 1e4)
    } else {
        format!("{v:.0e}")
    }
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    axes: &Axes<'_>,
    series: &[Series],
) -> Result<(), Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let all = || series.iter().flat_map(|s| s.points.iter());
    let (x0, x1) = range(all().map(|p| p.0), false);
    let (y0, y1) = range(all().map(|p| p.1), axes.log_y);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(axes.title, ("sans-serif", 24))
        .margin(14)
        .x_label_area_size(46)
        .y_label_area_size(70);
    macro_rules! draw {
        ($chart:expr) => {{
            let mut chart = $chart;
            chart
                .configure_mesh()
                .x_desc(axes.x_label)
                .y_desc(axes.y_label)
                .x_label_formatter(&tick)
                .y_label_formatter(&tick)
                .label_style(("sans-serif", 16))
                .axis_desc_style(("sans-serif", 18))
                .draw()?;
            for s in series {
                let color = s.color;
                let points = s
                    .points
                    .iter()
                    .copied()
                    .filter(|p| p.1.is_finite() && (!axes.log_y || p.1 > 0.0));
                if s.dots {
                    chart
                        .draw_series(
                            points.map(|p| Circle::new(p, 3, color.filled())),
                        )?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| {
                            Circle::new((x + 10, y), 4, color.filled())
                        });
                } else {
                    chart
                        .draw_series(LineSeries::new(points, color.stroke_width(2)))?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| {
                            PathElement::new(
                                vec![(x, y), (x + 20, y)],
                                color.stroke_width(3),
                            )
                        });
                }
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .label_font(("sans-serif", 16))
                .draw()?;
        }};
    }
    if axes.log_y {
        draw!(builder.build_cartesian_2d(x0..x1, (y0..y1).log_scale())?);
    } else {
        draw!(builder.build_cartesian_2d(x0..x1, y0..y1)?);
    }
    Ok(())
}
