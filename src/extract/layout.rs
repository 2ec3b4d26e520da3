//! Positioned text runs of PDF pages into one [`Table`] whose columns are the report's
//! columns. Pure geometry, no PDF library: runs are grouped into printed lines; each
//! page's column header is the last line of two or more text runs before the first line
//! that pairs a label with an amount (a group line right above it — "Current Month" over
//! "Actual | Budget" — names the columns under it); everything above the header is page
//! furniture, and so are lines that repeat on several pages (footers) or say "Page x of
//! y"/"continued". Amount runs go to the column they line up with, text runs to the
//! column they start in, `$` runs are dropped, and a label wrapped onto an indented line
//! that starts in lower case is joined into one line.

use super::columns::is_amount;
use super::table::{Row, Table};

/// One text run: its text and box in points, origin at the top-left of the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
}

/// One page's runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub number: u32,
    pub width: f32,
    pub height: f32,
    pub runs: Vec<Run>,
}

/// A printed line: runs left to right.
#[derive(Debug, Clone)]
struct Line {
    runs: Vec<Run>,
    top: f32,
    bottom: f32,
}

impl Line {
    fn x0(&self) -> f32 {
        self.runs.first().map_or(0.0, |r| r.x0)
    }

    fn text(&self) -> String {
        self.runs
            .iter()
            .map(|r| r.text.trim())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn text_runs(&self) -> usize {
        self.runs
            .iter()
            .filter(|r| !is_amount(&r.text) && !is_currency(&r.text))
            .count()
    }

    fn amounts(&self) -> usize {
        self.runs.iter().filter(|r| is_amount(&r.text)).count()
    }

    /// A label followed by an amount.
    fn is_data(&self) -> bool {
        let first_text = self
            .runs
            .iter()
            .position(|r| !is_amount(&r.text) && !is_currency(&r.text));
        first_text.is_some_and(|i| self.runs[i + 1..].iter().any(|r| is_amount(&r.text)))
    }

    fn bbox(&self) -> [f32; 4] {
        let x0 = self.runs.iter().map(|r| r.x0).fold(f32::MAX, f32::min);
        let x1 = self.runs.iter().map(|r| r.x1).fold(f32::MIN, f32::max);
        [x0, self.top, x1, self.bottom]
    }
}

fn is_currency(text: &str) -> bool {
    matches!(text.trim(), "$" | "€" | "£")
}

/// A column: its header text and horizontal extent.
#[derive(Debug, Clone)]
struct Column {
    header: String,
    x0: f32,
    x1: f32,
}

/// Lays `pages` out as one table. `None` when no page has a line that pairs text with an
/// amount (nothing to read as a report).
pub fn table(pages: &[Page]) -> Option<Table> {
    // Each page is laid out under its own header (or the last page's, when it has none);
    // the table's header row is the first page's.
    let mut all: Vec<Vec<Column>> = Vec::new();
    let mut body: Vec<(u32, usize, Line)> = Vec::new();
    for page in pages {
        let lines = lines(&page.runs);
        let start = match header(&lines) {
            Some((group, leaf)) => {
                all.push(make_columns(group.map(|g| &lines[g]), &lines[leaf]));
                leaf + 1
            }
            // A page without its own header continues the previous page's table.
            None if !all.is_empty() => 0,
            None => continue,
        };
        let cols = all.len() - 1;
        body.extend(
            lines
                .into_iter()
                .skip(start)
                .map(|l| (page.number, cols, l)),
        );
    }
    let first = all.first()?;
    drop_repeated(&mut body, pages.len());
    let body = join_wrapped(body);
    let mut rows = vec![Row::new(
        0,
        std::iter::once(String::new())
            .chain(first.iter().map(|c| c.header.clone()))
            .collect(),
    )];
    for (i, (page, cols, line)) in body.into_iter().enumerate() {
        let cells = place(&line, &all[cols]);
        rows.push(Row {
            number: i as u32 + 1,
            cells,
            page,
            indent: Some(line.x0()),
            bbox: Some(line.bbox()),
        });
    }
    Some(Table {
        rows,
        sheet: None,
        header: Some(0),
    })
}

/// Runs grouped into lines by vertical overlap, top to bottom, each left to right.
fn lines(runs: &[Run]) -> Vec<Line> {
    let mut sorted: Vec<&Run> = runs.iter().filter(|r| !r.text.trim().is_empty()).collect();
    sorted.sort_by(|a, b| a.top.total_cmp(&b.top).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<Line> = Vec::new();
    for run in sorted {
        let height = (run.bottom - run.top).max(1.0);
        match out.last_mut() {
            Some(line) if (run.top - line.top).abs() <= height * 0.5 => {
                line.runs.push(run.clone());
                line.bottom = line.bottom.max(run.bottom);
            }
            _ => out.push(Line {
                runs: vec![run.clone()],
                top: run.top,
                bottom: run.bottom,
            }),
        }
    }
    for line in &mut out {
        line.runs.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    out
}

/// The header line of a page (and a group line above it), by index.
fn header(lines: &[Line]) -> Option<(Option<usize>, usize)> {
    let first_data = lines.iter().position(Line::is_data)?;
    // A single header word counts when it stands over an amount of the first line
    // ("Balance" over a one-column balance sheet); titles and headings do not.
    let data = &lines[first_data];
    let label = data
        .runs
        .iter()
        .position(|r| !is_amount(&r.text) && !is_currency(&r.text))
        .unwrap_or(0);
    let amounts: Vec<&Run> = data.runs[label..]
        .iter()
        .filter(|r| is_amount(&r.text))
        .collect();
    let over_amount = |l: &Line| {
        l.runs
            .iter()
            .all(|r| amounts.iter().any(|a| r.x0.max(a.x0) < r.x1.min(a.x1)))
    };
    let leaf = lines[..first_data].iter().rposition(|l| {
        l.amounts() == 0 && (l.text_runs() >= 2 || (l.text_runs() == 1 && over_amount(l)))
    })?;
    let group = leaf.checked_sub(1).filter(|&g| {
        let (above, below) = (&lines[g], &lines[leaf]);
        let height = (below.bottom - below.top).max(1.0);
        let x0 = below.runs.first().map_or(0.0, |r| r.x0) - height * 2.0;
        let x1 = below.runs.last().map_or(0.0, |r| r.x1) + height * 2.0;
        below.top - above.bottom <= height * 1.5
            && above.amounts() == 0
            && above.runs.iter().all(|r| r.x0 >= x0 && r.x1 <= x1)
    });
    Some((group, leaf))
}

/// Columns from the header runs, each named by the group run nearest above it.
fn make_columns(group: Option<&Line>, leaf: &Line) -> Vec<Column> {
    leaf.runs
        .iter()
        .filter(|r| !is_currency(&r.text))
        .map(|r| {
            let centre = (r.x0 + r.x1) / 2.0;
            let name = group
                .and_then(|g| {
                    g.runs.iter().min_by(|a, b| {
                        let da = ((a.x0 + a.x1) / 2.0 - centre).abs();
                        let db = ((b.x0 + b.x1) / 2.0 - centre).abs();
                        da.total_cmp(&db)
                    })
                })
                .map_or_else(
                    || r.text.trim().to_string(),
                    |g| format!("{} {}", g.text.trim(), r.text.trim()),
                );
            Column {
                header: name,
                x0: r.x0,
                x1: r.x1,
            }
        })
        .collect()
}

/// Cells for a line: cell 0 holds text left of every column, cell `i + 1` column `i`.
fn place(line: &Line, columns: &[Column]) -> Vec<String> {
    let mut cells = vec![String::new(); columns.len() + 1];
    for run in &line.runs {
        let text = run.text.trim();
        if is_currency(text) {
            continue;
        }
        let at = if is_amount(text) || super::amount::is_dash(text) {
            amount_column(run, columns)
        } else {
            // Text starts where its column starts (a little slack for centring).
            columns
                .iter()
                .rposition(|c| c.x0 <= run.x0 + 3.0)
                .map_or(0, |i| i + 1)
        };
        let cell = &mut cells[at];
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(text);
    }
    cells
}

/// The column an amount belongs to: the one it overlaps most; failing that the one whose
/// right edge is nearest its own (amounts are right-aligned); text left of every column
/// is cell 0.
fn amount_column(run: &Run, columns: &[Column]) -> usize {
    let overlap = |c: &Column| (run.x1.min(c.x1) - run.x0.max(c.x0)).max(0.0);
    if let Some((i, _)) = columns
        .iter()
        .enumerate()
        .filter(|(_, c)| overlap(c) > 0.0)
        .max_by(|a, b| overlap(a.1).total_cmp(&overlap(b.1)))
    {
        return i + 1;
    }
    let first = columns.first().map_or(f32::MAX, |c| c.x0);
    if run.x1 < first {
        return 0;
    }
    columns
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1.x1 - run.x1).abs().total_cmp(&(b.1.x1 - run.x1).abs()))
        .map_or(0, |(i, _)| i + 1)
}

/// Drops footers and the like: lines whose words (digits aside) repeat at the same height
/// on two or more pages, and page-number / "continued" lines anywhere.
fn drop_repeated(body: &mut Vec<(u32, usize, Line)>, pages: usize) {
    let key = |l: &Line| {
        let t: String = l
            .text()
            .chars()
            .filter(|c| !c.is_ascii_digit())
            .collect::<String>()
            .to_lowercase();
        (t, (l.top / 3.0).round() as i64)
    };
    let mut seen: std::collections::HashMap<(String, i64), std::collections::HashSet<u32>> =
        std::collections::HashMap::new();
    for (page, _, line) in body.iter() {
        if line.amounts() == 0 {
            seen.entry(key(line)).or_default().insert(*page);
        }
    }
    body.retain(|(_, _, line)| {
        let furniture = super::interpret::is_furniture(&line.text())
            || line
                .text()
                .to_lowercase()
                .contains("continued on next page");
        let repeated =
            pages > 1 && line.amounts() == 0 && seen.get(&key(line)).is_some_and(|p| p.len() > 1);
        !furniture && !repeated
    });
}

/// Joins a label wrapped onto the next line: a line of text only, followed on the same
/// page — within about a line's height — by a line whose first text starts further right
/// and in lower case ("(Increase) decrease in tenant and" / "other receivables 218.95-").
/// The joined line keeps the lower line's amounts and the union of both boxes.
fn join_wrapped(body: Vec<(u32, usize, Line)>) -> Vec<(u32, usize, Line)> {
    let mut out: Vec<(u32, usize, Line)> = Vec::with_capacity(body.len());
    for (page, cols, line) in body {
        if let Some((prev_page, _, prev)) = out.last_mut()
            && *prev_page == page
            && let Some(at) = continuation(prev, &line)
        {
            let upper = prev
                .runs
                .iter()
                .filter(|r| !is_currency(&r.text))
                .map(|r| r.text.trim())
                .collect::<Vec<_>>()
                .join(" ");
            let mut runs = line.runs.clone();
            let target = &mut runs[at];
            target.text = format!("{upper} {}", target.text.trim());
            target.x0 = target.x0.min(prev.x0());
            *prev = Line {
                runs,
                top: prev.top,
                bottom: line.bottom,
            };
            continue;
        }
        out.push((page, cols, line));
    }
    out
}

/// The run of `lower` that continues `upper`'s wrapped label, if it is one.
fn continuation(upper: &Line, lower: &Line) -> Option<usize> {
    let height = (upper.bottom - upper.top).max(1.0);
    if upper.amounts() > 0 || lower.top - upper.bottom > height * 1.2 {
        return None;
    }
    let text: Vec<&Run> = upper
        .runs
        .iter()
        .filter(|r| !is_currency(&r.text))
        .collect();
    let [only] = text.as_slice() else {
        return None;
    };
    let at = lower
        .runs
        .iter()
        .position(|r| !is_amount(&r.text) && !is_currency(&r.text) && r.x0 >= only.x0 - 1.0)?;
    let next = &lower.runs[at];
    let starts_lower = next
        .text
        .trim()
        .trim_start_matches('(')
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    // A total's label cannot stand alone without its amounts: the next indented line
    // finishes it whatever its case ("Total Accum. Amortization - Loan" / "Costs").
    let open_total = only.text.trim().to_lowercase().starts_with("total ") && lower.amounts() > 0;
    (next.x0 > only.x0 + 1.0 && next.x0 < only.x0 + height * 3.0 && (starts_lower || open_total))
        .then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, x0: f32, x1: f32, top: f32) -> Run {
        Run {
            text: text.into(),
            x0,
            x1,
            top,
            bottom: top + 9.0,
        }
    }

    fn page(number: u32, runs: Vec<Run>) -> Page {
        Page {
            number,
            width: 612.0,
            height: 792.0,
            runs,
        }
    }

    #[test]
    fn columns_come_from_the_header_and_amounts_line_up_under_them() {
        let p = page(
            1,
            vec![
                run("Example Apartments", 40.0, 190.0, 30.0),
                run("Current Month", 300.0, 360.0, 68.0),
                run("Actual", 255.0, 281.0, 80.0),
                run("Budget", 333.0, 361.0, 80.0),
                run("Revenues", 40.0, 80.0, 96.0),
                run("Apartment Rent", 49.0, 107.0, 108.0),
                run("$", 215.0, 219.0, 108.0),
                run("55,075.00", 245.0, 281.0, 108.0),
                run("420.00-", 333.0, 361.0, 108.0),
                run("Page 1 of 1", 700.0, 750.0, 580.0),
            ],
        );
        let t = table(&[p]).unwrap();
        assert_eq!(
            t.rows[0].cells,
            vec!["", "Current Month Actual", "Current Month Budget"]
        );
        let cells: Vec<_> = t.rows[1..].iter().map(|r| r.cells.clone()).collect();
        assert_eq!(
            cells,
            vec![
                vec!["Revenues".to_string(), String::new(), String::new()],
                vec![
                    "Apartment Rent".into(),
                    "55,075.00".into(),
                    "420.00-".into()
                ],
            ]
        );
        assert_eq!(t.rows[2].bbox, Some([49.0, 108.0, 361.0, 117.0]));
    }

    #[test]
    fn wrapped_labels_join_and_keep_the_lower_lines_amounts() {
        let p = page(
            1,
            vec![
                run("Month", 263.0, 289.0, 68.0),
                run("Year to Date", 328.0, 377.0, 68.0),
                run("Net income", 49.0, 113.0, 96.0),
                run("1.00", 270.0, 289.0, 96.0),
                run("(Increase) decrease in tenant and", 58.0, 176.0, 108.0),
                run("other receivables", 66.0, 127.0, 120.0),
                run("218.95-", 261.0, 289.0, 120.0),
                run("5.00", 350.0, 377.0, 120.0),
                run("Maintenance", 58.0, 110.0, 132.0),
                run("Repairs", 58.0, 90.0, 144.0),
                run("2.00", 270.0, 289.0, 144.0),
            ],
        );
        let t = table(&[p]).unwrap();
        let labels: Vec<_> = t.rows[1..].iter().map(|r| r.cells[0].clone()).collect();
        assert_eq!(
            labels,
            vec![
                "Net income",
                "(Increase) decrease in tenant and other receivables",
                "Maintenance",
                "Repairs"
            ]
        );
        assert_eq!(t.rows[2].cells[1], "218.95-");
        assert_eq!(t.rows[2].bbox, Some([58.0, 108.0, 377.0, 129.0]));
    }

    #[test]
    fn footers_repeating_on_pages_and_continued_markers_are_dropped() {
        let header = |top| {
            vec![
                run("Debit", 400.0, 430.0, top),
                run("Credit", 460.0, 490.0, top),
            ]
        };
        let mut one = header(60.0);
        one.extend([
            run("Rent", 40.0, 60.0, 80.0),
            run("5.00", 410.0, 430.0, 80.0),
            run("Continued on next page", 600.0, 700.0, 560.0),
            run("Confidential", 300.0, 360.0, 580.0),
        ]);
        let mut two = header(60.0);
        two.extend([
            run("Fees", 40.0, 60.0, 80.0),
            run("1.00", 470.0, 490.0, 80.0),
            run("Confidential", 300.0, 360.0, 580.0),
        ]);
        let t = table(&[page(1, one), page(2, two)]).unwrap();
        let labels: Vec<_> = t.rows[1..]
            .iter()
            .map(|r| (r.page, r.cells[0].clone()))
            .collect();
        assert_eq!(
            labels,
            vec![(1, "Rent".to_string()), (2, "Fees".to_string())]
        );
    }

    #[test]
    fn no_amounts_means_no_table() {
        assert!(table(&[page(1, vec![run("Just prose here", 40.0, 200.0, 40.0)])]).is_none());
        assert!(table(&[]).is_none());
    }
}
