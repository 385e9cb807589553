#!/usr/bin/env node
// Kept as plain JS outside dist so npm can link the `shoal` command before the first build.
import { main } from "../dist/main.js";

process.exitCode = await main(process.argv.slice(2));
