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

/// A picture being drawn, in memory.
pub type Canvas<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// Draws a `width × height` picture with `draw`, in memory, and writes it as the
/// PNG `path`, whole or not at all (`cnn::output`): a failure leaves whatever
/// was at `path` before, and its message names the file.
pub fn png(
    path: &Path,
    (width, height): (u32, u32),
    draw: impl FnOnce(&Canvas<'_>) -> Result<(), Box<dyn std::error::Error>>,
) -> Result<(), Box<dyn std::error::Error>> {
    register_font();
    let failed =
        |e: &dyn std::fmt::Display| format!("cannot draw {}: {e}", path.display());
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height))
            .into_drawing_area();
        draw(&root).map_err(|e| failed(&e))?;
        root.present().map_err(|e| failed(&e))?;
    }
    let mut bytes = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&pixels))
        .map_err(|e| failed(&e))?;
    cnn::output::write(path, &bytes)?;
    Ok(())
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

impl Series {
    /// A line.
    pub fn line(
        name: impl Into<String>,
        points: Vec<(f32, f32)>,
        color: RGBColor,
    ) -> Self {
        Series {
            name: name.into(),
            points,
            color,
            dots: false,
        }
    }

    /// A scatter of dots.
    pub fn dots(
        name: impl Into<String>,
        points: Vec<(f32, f32)>,
        color: RGBColor,
    ) -> Self {
        Series {
            dots: true,
            ..Series::line(name, points, color)
        }
    }
}

/// Pairs each panel's axes with its series, for [`line_charts`].
pub fn panels<'a>(
    axes: &'a [Axes<'a>],
    series: &'a [Vec<Series>],
) -> Vec<(&'a Axes<'a>, &'a [Series])> {
    axes.iter()
        .zip(series)
        .map(|(a, s)| (a, s.as_slice()))
        .collect()
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
    line_chart_grid(path, size, panels, panels.len().max(1))
}

/// Draws line charts in a grid of `columns` into the PNG `path`.
pub fn line_chart_grid(
    path: &Path,
    size: (u32, u32),
    panels: &[(&Axes<'_>, &[Series])],
    columns: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    png(path, size, |root| {
        root.fill(&WHITE)?;
        let columns = columns.max(1);
        let areas =
            root.split_evenly((panels.len().div_ceil(columns).max(1), columns));
        for (area, (axes, series)) in areas.iter().zip(panels) {
            draw_panel(area, axes, series)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A tick label: integers without ".0", small numbers with enough digits.
fn tick(v: &f32) -> String {
    let a = v.abs();
    if a < 1e-6 {
        "0".into()
    } else if a >= 1e6 {
        format!("{v:.0e}")
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

/// The y range, raised when a point would sit under the legend (drawn in the
/// upper right corner) so that the legend never hides data.
fn legend_headroom(
    (width, height): (u32, u32),
    log_y: bool,
    series: &[Series],
    (x0, x1): (f32, f32),
    (y0, y1): (f32, f32),
) -> (f32, f32) {
    // The legend's size in pixels (16 px labels) against the plot area's.
    let longest = series
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    let legend_w = 50.0 + 8.5 * longest as f32;
    let legend_h = 12.0 + 22.0 * series.len() as f32;
    let plot_w = (width as f32 - 100.0).max(1.0);
    let plot_h = (height as f32 - 110.0).max(1.0);
    let top = (legend_h / plot_h).min(0.6);
    let right = (legend_w / plot_w).min(1.0);
    let to_unit = |y: f32| {
        if log_y {
            (y.ln() - y0.ln()) / (y1.ln() - y0.ln())
        } else {
            (y - y0) / (y1 - y0)
        }
    };
    let hidden = series.iter().flat_map(|s| s.points.iter()).any(|&(x, y)| {
        y.is_finite()
            && (!log_y || y > 0.0)
            && (x - x0) / (x1 - x0) > 1.0 - right
            && to_unit(y) > 1.0 - top
    });
    if !hidden {
        return (y0, y1);
    }
    // Stretch the range so the data fills only the part below the legend
    // (unless that overflows f32: a range of 10⁴⁰ has room enough).
    let stretched = if log_y {
        y0 * (y1 / y0).powf(1.0 / (1.0 - top))
    } else {
        y0 + (y1 - y0) / (1.0 - top)
    };
    (y0, if stretched.is_finite() { stretched } else { y1 })
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
    let (y0, y1) =
        legend_headroom(area.dim_in_pixel(), axes.log_y, series, (x0, x1), (y0, y1));
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(axes.title, ("sans-serif", 24))
        .margin(14)
        .x_label_area_size(46)
        .y_label_area_size(70);
    // Per-epoch curves get a tick per whole epoch and no fractional epochs.
    let whole_x = axes.x_label.starts_with("epoch");
    let x_ticks = if whole_x {
        ((x1 - x0).round() as usize + 1).clamp(2, 12)
    } else {
        10
    };
    let x_tick = |v: &f32| {
        if whole_x && (v - v.round()).abs() > 1e-3 {
            String::new()
        } else {
            tick(v)
        }
    };
    macro_rules! draw {
        ($chart:expr) => {{
            let mut chart = $chart;
            chart
                .configure_mesh()
                .x_desc(axes.x_label)
                .y_desc(axes.y_label)
                .x_labels(x_ticks)
                .x_label_formatter(&x_tick)
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

/// One picture of a grid: grey (1 channel) or colour (3 channels, channel-first),
/// values in [0, 1].
pub struct Picture {
    /// Caption under the picture.
    pub caption: String,
    /// Channels: 1 or 3.
    pub channels: usize,
    /// Height in pixels.
    pub height: usize,
    /// Width in pixels.
    pub width: usize,
    /// channels × height × width values in [0, 1].
    pub pixels: Vec<f32>,
}

impl Picture {
    /// A grey picture from any values, rescaled so the smallest is black and the
    /// largest white.
    pub fn grey_normalised(
        caption: impl Into<String>,
        height: usize,
        width: usize,
        values: &[f32],
    ) -> Picture {
        let (lo, hi) = values
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let range = (hi - lo).max(1e-12);
        Picture {
            caption: caption.into(),
            channels: 1,
            height,
            width,
            pixels: values.iter().map(|&v| (v - lo) / range).collect(),
        }
    }

    fn color(&self, y: usize, x: usize) -> RGBColor {
        let at = |c: usize| {
            (self.pixels[(c * self.height + y) * self.width + x].clamp(0.0, 1.0)
                * 255.0)
                .round() as u8
        };
        if self.channels == 3 {
            RGBColor(at(0), at(1), at(2))
        } else {
            let v = at(0);
            RGBColor(v, v, v)
        }
    }
}

/// Draws `pictures` in a grid of `columns`, each `cell` pixels wide, under a title.
pub fn picture_grid(
    path: &Path,
    title: &str,
    pictures: &[Picture],
    columns: usize,
    cell: u32,
) -> Result<(), Box<dyn std::error::Error>> {
    let columns = columns.max(1);
    let rows = pictures.len().div_ceil(columns) as u32;
    let (caption_h, title_h, pad) = (24u32, 48u32, 10u32);
    let width = columns as u32 * (cell + pad) + pad;
    let height = title_h + rows * (cell + caption_h + pad) + pad;
    png(path, (width, height), |root| {
        root.fill(&WHITE)?;
        root.draw(&Text::new(
            title,
            (pad as i32, 12),
            ("sans-serif", 24).into_font().color(&BLACK),
        ))?;
        for (k, picture) in pictures.iter().enumerate() {
            let (gx, gy) = ((k % columns) as u32, (k / columns) as u32);
            let x0 = (pad + gx * (cell + pad)) as i32;
            let y0 = (title_h + gy * (cell + caption_h + pad)) as i32;
            let scale = cell as f64 / picture.width.max(picture.height) as f64;
            for y in 0..picture.height {
                for x in 0..picture.width {
                    let a = (
                        x0 + (x as f64 * scale) as i32,
                        y0 + (y as f64 * scale) as i32,
                    );
                    let b = (
                        x0 + ((x + 1) as f64 * scale) as i32,
                        y0 + ((y + 1) as f64 * scale) as i32,
                    );
                    root.draw(&Rectangle::new(
                        [a, b],
                        picture.color(y, x).filled(),
                    ))?;
                }
            }
            let text_style = ("sans-serif", 15).into_font().color(&BLACK);
            root.draw(&Text::new(
                picture.caption.as_str(),
                (x0, y0 + cell as i32 + 4),
                text_style,
            ))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// A labelled 2-D point for [`decision_map`].
pub struct LabelledPoint {
    /// Position.
    pub x: f32,
    /// Position.
    pub y: f32,
    /// Class index.
    pub class: usize,
    /// Drawn hollow (a test point) instead of filled (a training point).
    pub test: bool,
}

/// Colours of classes in decision maps (Playground's orange and blue first).
pub const CLASS_COLORS: [RGBColor; 6] = [
    RGBColor(245, 147, 34),
    RGBColor(8, 119, 189),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// A decision boundary as TensorFlow Playground draws it: the plane coloured by
/// the predicted class, paler where the model is less sure, with the points on top.
/// `probabilities(x, y)` returns one probability per class.
pub fn decision_map(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    title: &str,
    extent: f32,
    probabilities: &dyn Fn(f32, f32) -> Vec<f32>,
    points: &[LabelledPoint],
) -> Result<(), Box<dyn std::error::Error>> {
    register_font();
    let mut chart = ChartBuilder::on(area)
        .caption(title, ("sans-serif", 18))
        .margin(8)
        .x_label_area_size(28)
        .y_label_area_size(36)
        .build_cartesian_2d(-extent..extent, -extent..extent)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(("sans-serif", 13))
        .draw()?;
    let n = 80;
    let step = 2.0 * extent / n as f32;
    let mut cells = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            let (x, y) = (
                -extent + (j as f32 + 0.5) * step,
                -extent + (i as f32 + 0.5) * step,
            );
            let p = probabilities(x, y);
            let (best, &conf) = p.iter().enumerate().fold((0, &0.0), |b, (k, v)| {
                if v > b.1 {
                    (k, v)
                } else {
                    b
                }
            });
            let classes = p.len().max(2) as f32;
            // Confidence from chance (1/K) to certainty (1) → from white to the colour.
            let strength = (((conf - 1.0 / classes) / (1.0 - 1.0 / classes))
                .clamp(0.0, 1.0)
                * 0.75) as f64;
            let c = CLASS_COLORS[best % CLASS_COLORS.len()];
            let mix =
                |v: u8| (255.0 * (1.0 - strength) + f64::from(v) * strength) as u8;
            let color = RGBColor(mix(c.0), mix(c.1), mix(c.2));
            let (x0, y0) = (-extent + j as f32 * step, -extent + i as f32 * step);
            cells.push(Rectangle::new(
                [(x0, y0), (x0 + step, y0 + step)],
                color.filled(),
            ));
        }
    }
    chart.draw_series(cells)?;
    chart.draw_series(points.iter().map(|p| {
        let c = CLASS_COLORS[p.class % CLASS_COLORS.len()];
        let style = if p.test {
            c.stroke_width(2)
        } else {
            c.filled()
        };
        Circle::new((p.x, p.y), 3, style)
    }))?;
    chart.draw_series(
        points
            .iter()
            .filter(|p| !p.test)
            .map(|p| Circle::new((p.x, p.y), 3, WHITE.stroke_width(1))),
    )?;
    Ok(())
}
