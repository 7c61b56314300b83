/** Sky 1000 ± 10 with Gaussian stars and a few hot pixels: what a short exposure looks like. */
export function starField(width: number, height: number, seed: number, stars = 30): Float64Array {
  let s = seed;
  const random = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const data = new Float64Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const u = Math.max(random(), 1e-12);
    data[i] = 1000 + 10 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  }
  for (let k = 0; k < stars; k++) {
    const x0 = random() * width;
    const y0 = random() * height;
    const peak = 200 + random() * 20000;
    for (let y = Math.max(0, Math.floor(y0 - 8)); y < Math.min(height, y0 + 8); y++)
      for (let x = Math.max(0, Math.floor(x0 - 8)); x < Math.min(width, x0 + 8); x++)
        data[y * width + x]! += peak * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * 1.5 ** 2));
  }
  for (let k = 0; k < 5; k++) data[Math.floor(random() * data.length)] = 65535;
  return data;
}
