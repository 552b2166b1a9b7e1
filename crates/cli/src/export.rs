//! `safeground export`: collections as files, filtered like OGC API items; the victims export
//! (personal data only with `--personal-data --as` a victim-assistance account); and the full
//! GeoPackage, which is also the programme archive.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use safeground_io::{COLLECTIONS, Collection, Filter, Format, PersonalData, VICTIMS};
use safeground_store::{Backend, Location};

/// Arguments of `safeground export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Database: a file, `sqlite:PATH`, or `postgres://…` (a libpq `host=… dbname=…` string).
    db: Location,
    /// Output file (`-` for standard output, not for GeoPackage, Shapefile, XLSX or personal data).
    #[arg(long)]
    out: PathBuf,
    /// geojson, csv (with HXL hashtags), kml, gpkg, shp (zipped) or xlsx.
    #[arg(long, default_value = "geojson")]
    format: String,
    /// Collection (hazards, released-areas, activities, eo-finds, accidents, risk-education,
    /// victims); a GeoPackage or a workbook holds every OGC collection when none is given (an
    /// unfiltered GeoPackage of them all is the programme archive, which restores).
    #[arg(long)]
    collection: Option<String>,
    /// Only features whose geometry meets this box: west,south,east,north (WGS 84).
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    bbox: Option<String>,
    /// Only features dated in this interval: 2024-01-01/2024-12-31, ../2024-12-31 or one day.
    #[arg(long)]
    datetime: Option<String>,
    /// Property equality on a queryable of the collection, e.g. class=cha (repeatable; needs
    /// --collection).
    #[arg(long = "where", value_name = "NAME=VALUE")]
    wheres: Vec<String>,
    /// Include victims' personal data (names, address, contact, date of birth): the victims
    /// export or the programme archive, as xlsx, geojson or gpkg, for the account given with
    /// --as; audited.
    #[arg(long, requires = "as_user")]
    personal_data: bool,
    /// The enabled victim_assistance account exporting personal data.
    #[arg(long = "as", value_name = "USERNAME", requires = "personal_data")]
    as_user: Option<String>,
}

fn filter(args: &ExportArgs, chosen: &[&Collection]) -> anyhow::Result<Filter> {
    let mut f = Filter::default();
    if let Some(b) = &args.bbox {
        f.bbox = Some(Filter::parse_bbox(b)?);
    }
    if let Some(d) = &args.datetime {
        f.datetime = Some(Filter::parse_datetime(d)?);
    }
    if !args.wheres.is_empty() {
        let [c] = chosen else {
            bail!("--where needs one --collection (each has its own properties)");
        };
        for w in &args.wheres {
            f.add_where(c, w)?;
        }
    }
    Ok(f)
}

/// `safeground export`.
pub fn run(args: ExportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let format: Format = args.format.parse()?;
    let chosen: Vec<&Collection> = match args.collection.as_deref() {
        Some(id) => vec![safeground_io::export_collection(id).ok_or_else(|| {
            let ids: Vec<_> = COLLECTIONS.iter().map(|c| c.id).collect();
            anyhow::anyhow!(
                "no collection `{id}`; use one of {}, victims, victim-assistance",
                ids.join(", ")
            )
        })?],
        None if matches!(format, Format::GeoPackage | Format::Xlsx) => COLLECTIONS.iter().collect(),
        None => {
            bail!("say which --collection to export (a GeoPackage or a workbook holds them all)")
        }
    };
    let filter = filter(&args, &chosen)?;
    let path = args.out.as_path();
    let mut opened = args
        .db
        .open()
        .with_context(|| format!("opening {}", args.db))?;
    let store = opened.as_mut();
    let archive = format == Format::GeoPackage && args.collection.is_none() && filter.is_empty();
    if args.personal_data && !archive && chosen.iter().all(|c| c.id != VICTIMS.id) {
        bail!(
            "--personal-data goes with --collection victims or the unfiltered GeoPackage of every \
             collection (the programme archive)"
        );
    }
    let personal = match &args.as_user {
        Some(user) => {
            if path.as_os_str() == "-" {
                bail!("personal data are written to a file, never to standard output");
            }
            let p = PersonalData::load(store, user, format).context("personal data refused")?;
            Some(p)
        }
        None => None,
    };
    let personal = personal.as_ref();
    let counts = match format {
        Format::GeoPackage => Some(safeground_io::export_geopackage(
            &*store, &chosen, &filter, personal, path,
        )?),
        Format::Xlsx => Some(safeground_io::export_xlsx(
            &*store, &chosen, &filter, personal, path,
        )?),
        Format::Shapefile => Some(vec![(
            chosen[0].id,
            safeground_io::export_shapefile(&*store, chosen[0], &filter, path)?,
        )]),
        _ => None,
    };
    if let Some(counts) = counts {
        let mut archive = false;
        for (id, n) in counts {
            let what = if id == safeground_io::archive::TABLE {
                archive = true;
                "approved reports (programme archive)"
            } else {
                "features"
            };
            writeln!(out, "{id}: {n} {what}")?;
        }
        writeln!(out, "written {}", path.display())?;
        if archive {
            writeln!(out, "{}", safeground_io::archive::LIMITS)?;
        }
        return Ok(());
    }
    let c = chosen[0];
    if path.as_os_str() == "-" {
        let n = safeground_io::export(&*store, c, format, &filter, personal, out)?;
        eprintln!("{}: {n} features", c.id);
        return Ok(());
    }
    let n = write_text(&*store, c, format, &filter, personal, path)?;
    writeln!(out, "{}: {n} features written to {}", c.id, path.display())?;
    Ok(())
}

/// Writes a text format beside the target and renames it at the end: a failed export leaves
/// no file.
fn write_text(
    store: &dyn Backend,
    c: &Collection,
    format: Format,
    filter: &Filter,
    personal: Option<&PersonalData>,
    path: &Path,
) -> anyhow::Result<u64> {
    let partial = path.with_extension("partial");
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&partial)
            .with_context(|| format!("creating {}", partial.display()))?,
    );
    let result = safeground_io::export(store, c, format, filter, personal, &mut file);
    let n = match result.map_err(anyhow::Error::from).and_then(|n| {
        file.flush()?;
        Ok(n)
    }) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, path)?;
    Ok(n)
}
