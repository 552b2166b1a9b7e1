use geozero::mvt::{Message, Tile};
fn main() {
    let mut rows = vec![];
    for entry in std::fs::read_dir("/tmp/mvt").unwrap() {
        let z = entry.unwrap().path();
        for xe in std::fs::read_dir(&z).unwrap() {
            let xp = xe.unwrap().path();
            for ye in std::fs::read_dir(&xp).unwrap() {
                let f = ye.unwrap().path();
                let t = Tile::decode(std::fs::read(&f).unwrap().as_slice()).unwrap();
                let (mut ext, mut holes) = (0, 0);
                for ft in &t.layers[0].features {
                    let g = &ft.geometry;
                    let (mut i, mut x, mut y) = (0, 0i64, 0i64);
                    let mut ring: Vec<(i64, i64)> = vec![];
                    while i < g.len() {
                        let (id, n) = (g[i] & 7, g[i] >> 3);
                        i += 1;
                        if id == 7 {
                            let a: i64 = (0..ring.len())
                                .map(|k| {
                                    let (p, q) = (ring[k], ring[(k + 1) % ring.len()]);
                                    p.0 * q.1 - q.0 * p.1
                                })
                                .sum();
                            if a > 0 {
                                ext += 1
                            } else {
                                holes += 1
                            };
                            ring.clear();
                            continue;
                        }
                        for _ in 0..n {
                            let zz = |v: u32| ((v >> 1) as i64) ^ -((v & 1) as i64);
                            x += zz(g[i]);
                            y += zz(g[i + 1]);
                            i += 2;
                            ring.push((x, y));
                        }
                    }
                }
                let name = format!(
                    "{}/{}/{}",
                    z.file_name().unwrap().to_str().unwrap(),
                    xp.file_name().unwrap().to_str().unwrap(),
                    f.file_stem().unwrap().to_str().unwrap()
                );
                rows.push(format!(
                    "{name} {} {ext} {holes}",
                    t.layers[0].features.len()
                ));
            }
        }
    }
    rows.sort();
    for r in rows {
        println!("{r}");
    }
}
