export default function (trial) {
  return trial.suggestInt("n", 1, 3) * 10;
}
