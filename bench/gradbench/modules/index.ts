/**
 * Every GradBench module this tool implements, by module name.
 */
import type { Module } from "../runs.ts";
import { hello } from "./hello.ts";
import { llsq } from "./llsq.ts";
import { lse } from "./lse.ts";
import { det } from "./det.ts";
import { kmeans } from "./kmeans.ts";
import { ode } from "./ode.ts";
import { gmm } from "./gmm.ts";
import { ba } from "./ba.ts";
import { ht } from "./ht.ts";
import { lstm } from "./lstm.ts";
import { particle } from "./particle.ts";
import { saddle } from "./saddle.ts";

/** Module name to module. @example `modules.llsq.gradient` */
export const modules: Readonly<Record<string, Module>> = {
  hello,
  llsq,
  lse,
  det,
  kmeans,
  ode,
  gmm,
  ba,
  ht,
  lstm,
  particle,
  saddle,
};
