/**
 * Who a build is for. Each audience is a separate build into its own folder: a page or data file
 * that is not in an audience's build cannot be opened by whoever is handed that site.
 *
 *   staff      every page, pupils named (the school's pastoral staff; as before audiences existed)
 *   leaders    SLT: aggregate pages only, counts below 5 suppressed (with secondary suppression)
 *   governors  the same pages as leaders (the governing board)
 *   trust      the central team: the aggregate pages, plus the watchlist and BSC pages with each
 *              pupil under a keyed pseudonym (src/page-data/pseudonym.ts); no name, form or free text
 *
 * The staff build is Framework's own root, reports/. The others are built from a generated root
 * (`.site-<audience>/` beside reports/, same depth, so the loaders' `../../src/…` imports hold)
 * holding only that audience's pages, the shared components and the loaders those pages read.
 * The loaders read PASTORAL_AUDIENCE and ship less (or pseudonymised) data for these audiences.
 */
import path from 'node:path';

export { AUDIENCES, isAudience, loaderAudience, type Audience } from '../page-data/audience.ts';
import type { Audience } from '../page-data/audience.ts';

export interface AudiencePage {
  /** Page path without extension (reports/<path>.md). */
  path: string;
  name: string;
  /** One line for the index page. */
  description: string;
}

/** Pages safe for every audience: aggregate figures only, small counts suppressed. */
const AGGREGATE_PAGES: readonly AudiencePage[] = [
  {
    path: 'termly-report',
    name: 'Termly report',
    description:
      'One school, one term: behaviour by year group, BSC use and repeats, suspensions and attendance against national figures, gaps between pupil groups, intervention impact. Counts below 5 are suppressed.',
  },
  {
    path: 'schools',
    name: 'Schools compared',
    description:
      'Every school of the trust side by side and week by week, per 100 pupils, against national figures. Counts below 5 are suppressed, and enough others with them that a hidden one cannot be worked out from a total.',
  },
  { path: 'definitions', name: 'Definitions', description: 'What every figure counts, per what, and over which window.' },
];

/** Pupil-level pages the trust build carries, each pupil under a keyed pseudonym. */
const PSEUDONYMISED_PAGES: readonly AudiencePage[] = [
  {
    path: 'watchlist',
    name: 'Early intervention watchlist',
    description: 'Pupils whose behaviour, attendance or BSC use is getting worse, under a pseudonym (no name, no form), and how well the list picks pupils.',
  },
  {
    path: 'bsc',
    name: 'Behaviour Support Centre',
    description: 'Placements, repeat referrals and the re-referral curve; pupils placed again are listed under a pseudonym (no name, no form).',
  },
];

export interface AudienceDefinition {
  audience: Audience;
  /** What the index page calls this build. */
  title: string;
  /** Pages in the build (besides the index), in sidebar order. Null: every page of reports/. */
  pages: readonly AudiencePage[] | null;
  /** Default output folder, relative to the repository root. */
  defaultOutDir: string;
}

export const AUDIENCE_DEFINITIONS: Readonly<Record<Audience, AudienceDefinition>> = {
  staff: { audience: 'staff', title: 'Staff', pages: null, defaultOutDir: 'dist' },
  leaders: { audience: 'leaders', title: 'Senior leaders', pages: AGGREGATE_PAGES, defaultOutDir: 'dist-leaders' },
  governors: { audience: 'governors', title: 'Governors', pages: AGGREGATE_PAGES, defaultOutDir: 'dist-governors' },
  trust: { audience: 'trust', title: 'Trust central team', pages: [...AGGREGATE_PAGES, ...PSEUDONYMISED_PAGES], defaultOutDir: 'dist-trust' },
};

/** Generated Framework root of an audience's build (not staff: that is reports/). */
export function audienceRoot(repoRoot: string, audience: Audience): string {
  return path.join(repoRoot, `.site-${audience}`);
}

/** Escapes text for the generated index page (Markdown with HTML cards). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The index page of an audience's build: its pages only, and what the build leaves out. */
export function audienceIndexMarkdown(def: AudienceDefinition): string {
  const pages = def.pages ?? [];
  const cards = pages
    .map((p) => `  <a class="card" href="./${p.path}"><h2>${escapeHtml(p.name)}</h2><p>${escapeHtml(p.description)}</p></a>`)
    .join('\n');
  const note =
    def.audience === 'trust'
      ? 'This build is for the trust’s central team: aggregate figures, and pupil-level lists under a pseudonym (a keyed code that only the school’s own warehouse can link back to a pupil). No pupil name, UPN, MIS id, form or free-text comment is in it.'
      : `This build is for ${def.title.toLowerCase()}: aggregate figures only, with counts below 5 suppressed. No pupil name, UPN, MIS id, form or free-text comment is in it, and no pupil-level row.`;
  return `---
title: Pastoral Pulse
toc: false
---

# Pastoral Pulse: ${escapeHtml(def.title)}

<p class="muted">${note} Every figure has a definition on the <a href="./definitions">Definitions</a> page.</p>

<div class="grid grid-cols-2">
${cards}
</div>
`;
}
