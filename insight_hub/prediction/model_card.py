"""`insight-hub model-card`: the homelessness risk model's record, in the structure of the UK
Algorithmic Transparency Recording Standard (ATRS): a Tier 1 summary for the public and the
Tier 2 detail (owner and responsibility, description and rationale, decision-making process
and human oversight, data, technical specification and performance, fairness and impact,
risks and mitigations).

Everything measured comes from the built warehouse (read-only): marts.mart_risk_model_metrics,
marts.mart_risk_fairness, marts.mart_risk_holdout (the ROC curve), marts.mart_homelessness_risk
(what was scored) and marts.mart_ta_forecast_metrics (the demand forecast, appendix). What the
model sees and what it may never see comes from insight_hub.prediction.features, the code the
model runs. Writes reports/model_card/model_card.md (with PNG plots beside it) and
model_card.html (self-contained: CSS inline, plots embedded as base64, works offline).
"""

from __future__ import annotations

import base64
import html
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import duckdb
import numpy as np
import pandas as pd

from insight_hub.prediction import explain
from insight_hub.prediction import features as F
from insight_hub.prediction import forecast as FC
from insight_hub.prediction import risk as R

FEATURE_MEANING = {
    "household_size": "people linked to the household's property",
    "adults": "adults in the household",
    "children": "children in the household",
    "tenure": "council tenancy, temporary accommodation or other, in the month",
    "ct_arrears": "council tax arrears at month end (£)",
    "ct_arrears_change_3m": "change in council tax arrears over 3 months (£)",
    "ct_arrears_months_rising": "consecutive months council tax arrears rose",
    "rent_arrears": "council rent arrears at month end (£)",
    "rent_arrears_change_3m": "change in rent arrears over 3 months (£)",
    "rent_arrears_months_rising": "consecutive months rent arrears rose",
    "open_debts": "open sundry / overpayment debts",
    "money_hub_contacts_3m": "Homes and Money Hub contacts, last 3 months",
    "on_benefits": "a housing benefit / council tax support claim open",
    "benefit_reduced_3m": "an award reduced or suspended, last 3 months",
    "notice_6m": "a NOSP, notice to quit, possession order or warrant, last 6 months",
    "nosp_6m": "a notice of seeking possession, last 6 months",
    "ntq_6m": "a notice to quit, last 6 months",
    "possession_order_12m": "a possession order, last 12 months",
    "eviction_warrant_3m": "an eviction warrant, last 3 months",
    "money_hub_landlord_notice_3m": "a Homes and Money Hub contact about a landlord's notice, "
    "last 3 months",
    "money_hub_relationship_breakdown_3m": "a Homes and Money Hub contact about a relationship "
    "breakdown, last 3 months",
    "single_person_discount_6m": "a council tax single person discount awarded on an existing "
    "account (the household down to one adult), last 6 months",
    "in_temporary_accommodation": "a temporary accommodation placement open",
    "on_housing_register": "an active housing register application",
    "private_tenant": "a council tax account recording a private tenancy, in the month",
    "council_tax_account_open": "a council tax account open in the month (none: most often "
    "moved away)",
    "prior_approach_12m": "a homelessness approach in the 12 months before the month",
    "total_arrears": "council tax + rent arrears (£)",
    "total_arrears_change_3m": "change in total arrears over 3 months (£)",
    "arrears_months_12m": "months in arrears, last 12",
    "arrears_max_12m": "highest total arrears, last 12 months (£)",
    "months_since_approach": "months since the household's latest approach (36 = none seen)",
    "new_child_12m": "a child born into the household in the last 12 months (month-by-month "
    "composition)",
    "approach_on_record": "any homelessness approach on record so far (in the window or the "
    "12 months before an earlier month)",
}


# -- a tiny document model rendered to both Markdown and HTML --------------------------------
@dataclass
class Doc:
    blocks: list[tuple[str, object]] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)

    def h(self, level: int, text: str):
        self.blocks.append(("h", (level, text)))

    def p(self, text: str):
        self.blocks.append(("p", text))

    def ul(self, items: list[str]):
        self.blocks.append(("ul", items))

    def table(self, header: list[str], rows: list[list[object]]):
        self.blocks.append(("table", (header, rows)))

    def img(self, name: str, png: bytes, alt: str):
        self.images[name] = png
        self.blocks.append(("img", (name, alt)))

    def markdown(self) -> str:
        out = []
        for kind, v in self.blocks:
            if kind == "h":
                out.append("#" * v[0] + " " + v[1])
            elif kind == "p":
                out.append(v)
            elif kind == "ul":
                out.append("\n".join(f"- {i}" for i in v))
            elif kind == "table":
                header, rows = v
                lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
                for r in rows:
                    lines.append("| " + " | ".join(_cell(c).replace("|", "\\|") for c in r) + " |")
                out.append("\n".join(lines))
            elif kind == "img":
                out.append(f"![{v[1]}]({v[0]})")
        return "\n\n".join(out) + "\n"

    def html(self, title: str) -> str:
        body = []
        for kind, v in self.blocks:
            if kind == "h":
                body.append(f"<h{v[0]}>{html.escape(v[1])}</h{v[0]}>")
            elif kind == "p":
                body.append(f"<p>{_inline(v)}</p>")
            elif kind == "ul":
                body.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in v) + "</ul>")
            elif kind == "table":
                header, rows = v
                head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
                trs = "".join(
                    "<tr>" + "".join(f"<td>{_inline(_cell(c))}</td>" for c in r) + "</tr>"
                    for r in rows
                )
                body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table>")
            elif kind == "img":
                data = base64.b64encode(self.images[v[0]]).decode()
                body.append(
                    f'<figure><img alt="{html.escape(v[1])}" src="data:image/png;base64,{data}">'
                    f"<figcaption>{html.escape(v[1])}</figcaption></figure>"
                )
        return (
            "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n"
        )


CSS = (
    "body{font-family:system-ui,sans-serif;line-height:1.45;color:#1b1b1b;margin:0}"
    "main{max-width:960px;margin:2rem auto;padding:0 1rem}"
    "h1{border-bottom:3px solid #1d70b8;padding-bottom:.3rem}h2{margin-top:2rem;color:#1d70b8}"
    "table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}"
    "th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left;vertical-align:top}"
    "th{background:#f3f2f1}figure{margin:1rem 0}img{max-width:100%}"
    "code{background:#f3f2f1;padding:0 .2rem}"
)


def _cell(c) -> str:
    if c is None or (isinstance(c, float) and np.isnan(c)):
        return "–"
    if isinstance(c, float):
        return f"{c:.4f}" if abs(c) < 10 else f"{c:,.0f}"
    if isinstance(c, int | np.integer):
        return f"{int(c):,}"
    return str(c)


def _inline(text: str) -> str:
    """Escape, then render `code` spans."""
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


# -- plots -------------------------------------------------------------------------------------
def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def calibration_plot(metrics: pd.DataFrame) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dec = metrics.loc[metrics["decile"].notna()].pivot(
        index="decile", columns="metric", values="value"
    )
    fig, ax = plt.subplots(figsize=(5, 4.4))
    x = dec["decile_mean_score"].to_numpy(dtype=float)
    y = dec["decile_observed_rate"].to_numpy(dtype=float)
    positive = y[y > 0]
    lo = float(max(min(x.min(), positive.min() if len(positive) else x.min()) / 2, 1e-5))
    hi = float(max(x.max(), y.max()) * 1.5)
    ax.plot([lo, hi], [lo, hi], ls="--", c="#888", lw=1, label="perfect calibration")
    ax.plot(x, np.clip(y, lo, None), "o-", c="#1d70b8", label="score deciles (held-out)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("mean predicted probability (log scale)")
    ax.set_ylabel("observed 6-month approach rate (log scale)")
    ax.set_title("Calibration by score decile")
    ax.legend(loc="upper left")
    return _png(fig)


def roc_plot(holdout: pd.DataFrame) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_auc_score, roc_curve

    y = holdout["label"].to_numpy(dtype=bool)
    fig, ax = plt.subplots(figsize=(5, 4.4))
    for col, name, c in [
        ("score", "model", "#1d70b8"),
        ("baseline_score", "arrears rule", "#d4351c"),
    ]:
        s = holdout[col].to_numpy(dtype=float)
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, c=c, label=f"{name} (AUC {roc_auc_score(y, s):.3f})")
    ax.plot([0, 1], [0, 1], ls="--", c="#888", lw=1)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title("ROC on the held-out months")
    ax.legend(loc="lower right")
    return _png(fig)


# -- reading the warehouse ---------------------------------------------------------------------
def read_warehouse(warehouse: str | Path) -> dict[str, pd.DataFrame | None]:
    con = duckdb.connect(str(warehouse), read_only=True)
    out: dict[str, pd.DataFrame | None] = {}
    try:
        for name in (
            "mart_risk_model_metrics",
            "mart_risk_fairness",
            "mart_risk_holdout",
            "mart_homelessness_risk",
            "mart_ta_forecast_metrics",
        ):
            try:
                out[name] = con.execute(f"select * from marts.{name}").df()
            except duckdb.Error:
                out[name] = None
    finally:
        con.close()
    if out["mart_risk_model_metrics"] is None or out["mart_risk_holdout"] is None:
        raise ValueError(
            "The warehouse has no marts.mart_risk_model_metrics / mart_risk_holdout: build the "
            "prediction marts first (dbt build --select prediction)."
        )
    return out


def _metric(metrics: pd.DataFrame, name: str) -> float:
    v = metrics.loc[(metrics["metric"] == name) & metrics["decile"].isna(), "value"]
    return float(v.iloc[0]) if len(v) else float("nan")


def _month(v: float) -> str:
    if not np.isfinite(v):
        return "–"
    v = int(v)
    return f"{v // 100}-{v % 100:02d}"


# -- the card ------------------------------------------------------------------------------------
def build_card(data: dict, capacity: int | None = None) -> Doc:
    m = data["mart_risk_model_metrics"]
    hold = data["mart_risk_holdout"]
    fair = data.get("mart_risk_fairness")
    scored = data.get("mart_homelessness_risk")
    fc = data.get("mart_ta_forecast_metrics")
    g = lambda k: _metric(m, k)  # noqa: E731
    cap = int(capacity or g("capacity"))
    version = str(m["model_version"].iloc[0])
    prod_version = (
        str(scored["model_version"].iloc[0]) if scored is not None and len(scored) else "–"
    )
    n_scored = len(scored) if scored is not None else 0
    scored_month = (
        pd.Timestamp(scored["scored_month"].iloc[0]).strftime("%Y-%m") if n_scored else "–"
    )
    cfg = R.RiskConfig()

    d = Doc()
    d.h(1, "Homelessness risk model — algorithmic transparency record")
    d.p(
        f"Structure: UK Algorithmic Transparency Recording Standard (Tier 1 and Tier 2). "
        f"Backtest model `{version}`; production scores `{prod_version}` "
        f"(same specification, cut-off moved forward). Generated by `insight-hub model-card` "
        f"from the warehouse's prediction marts."
    )

    d.h(2, "Tier 1 — summary")
    d.table(
        ["", ""],
        [
            ["Name", "Homelessness risk (prevention) model"],
            [
                "Description",
                "A statistical model that estimates, for each household known to council "
                "services, the probability that it approaches the council as homeless in the "
                "next six months, and lists the circumstances that raise that estimate most. "
                "The prevention team uses the list to offer help earlier.",
            ],
            ["Organisation", "The Council — Insight & Intelligence Hub, for Housing Needs"],
            ["Contact", "Data Protection Officer, data.protection@council.example"],
            [
                "How it works",
                "Monthly, from pseudonymised household records (council tax and rent arrears, "
                "benefit changes, debts, possession notices, temporary accommodation, Homes and "
                "Money Hub contacts, the housing register, earlier homelessness approaches), a "
                "statistical model (gradient-boosted trees blended with a logistic regression) "
                "scores every household that has not objected. Scores are calibrated "
                "probabilities.",
            ],
            [
                "Why it is used",
                "The Homelessness Reduction Act 2017 places a duty on the council to prevent "
                "homelessness. Help offered months before a crisis (debt advice, tenancy "
                "sustainment, benefit checks) works better than help after one.",
            ],
            [
                "Decision-making",
                f"No decision is automated. Each month the {cap} highest-scoring households "
                "(the team's capacity) are reviewed by a prevention officer, who decides whether "
                "and how to offer help. A score never refuses or reduces a service.",
            ],
            [
                "Data about people",
                "Pseudonymised household-month records; no names, addresses, dates of birth or "
                "protected characteristics reach the model.",
            ],
        ],
    )

    d.h(2, "Tier 2 — 1. Owner and responsibility")
    d.table(
        ["", ""],
        [
            ["Organisation and team", "The Council, Insight & Intelligence Hub (prediction)"],
            [
                "Senior responsible owner",
                "Head of Housing Needs (service owner of the purpose `homelessness_prevention`)",
            ],
            ["Data controller", "The Council; DPO: data.protection@council.example"],
            ["Supplier", "Built in-house (open-source scikit-learn); no external supplier"],
            [
                "Maintained by",
                "Insight & Intelligence Hub; code in `insight_hub/prediction/`, "
                "models in `python_models/prediction/`",
            ],
        ],
    )

    d.h(2, "Tier 2 — 2. Description and rationale")
    d.p(
        "Scope: households in the borough known to at least one council service, one score per "
        "household for the month after the extract. Outcome predicted: a homelessness approach "
        f"(an H-CLIC case opened) in the {F.HORIZON} months after the scored month."
    )
    d.p(
        "Benefits: earlier, targeted offers of help; fewer households reaching crisis and "
        "temporary accommodation. Alternative considered: a rule on arrears alone (the "
        "previous practice of chasing the largest arrears). The model is kept only while it "
        "clearly beats that rule on held-out months:"
    )
    d.table(
        ["held-out months", "ROC AUC", "average precision"],
        [
            ["model", g("roc_auc"), g("average_precision")],
            [
                "arrears rule (council tax + rent arrears)",
                g("baseline_roc_auc"),
                g("baseline_average_precision"),
            ],
        ],
    )

    d.h(2, "Tier 2 — 3. Decision-making process and human oversight")
    d.ul(
        [
            f"Frequency and scale: monthly; {n_scored:,} households scored for {scored_month}.",
            f"What staff see (`marts.mart_homelessness_risk`): score, rank, band (High = top "
            f"{cap}, the team's monthly capacity; Medium = next {3 * cap}; Low), and up to "
            'three reasons in plain words, e.g. "council tax arrears rising for 3 months".',
            "Human review: an officer reads the household's service involvement and the reasons "
            "before any contact, and may decide not to contact. Contact is an offer of help, "
            "never enforcement.",
            "No automated decision (UK GDPR Art 22 does not apply): no service is refused, "
            "reduced or prioritised by the score alone.",
            "Training for users: what a calibrated probability means, that most High-band "
            "households will not become homeless, and that the reasons describe the model, not "
            "causes.",
            "Right to object: a resident who objects to predictive analytics (against any one "
            "service record) is removed, with their whole household, from training and scoring.",
        ]
    )

    d.h(2, "Tier 2 — 4. Data")
    d.p(
        "Source: `marts.mart_household_needs` (one row per pseudonymised household per month, "
        "built from the services' extracts after record linkage). Only the columns below are "
        "read. Datasets the `homelessness_prevention` purpose may use (governance/purposes.yml): "
        "council tax accounts and arrears, benefit claims, debts, housing, homelessness."
    )
    d.table(
        ["feature", "meaning", "from"],
        [[f, FEATURE_MEANING.get(f, ""), ", ".join(F.FEATURE_DATASETS[f])] for f in F.FEATURES],
    )
    d.p("Never features (a test checks the fitted model's feature list):")
    d.table(["column", "why not"], [[c, r] for c, r in F.EXCLUDED.items()])
    d.ul(
        [
            "Place (ward, LSOA) is excluded although it carries signal: it is a proxy for "
            "ethnicity and deprivation, and help should follow need, not postcode.",
            "Excluded rows: households with a member who objected to predictive analytics "
            "(and, upstream, to all analytics).",
            "Retention: scores while a prevention case is open, then up to 3 years after the "
            "project closes; metrics and fairness monitoring 3 years after the model is retired.",
            "Data protection impact assessment: required before live use (special category "
            "data is read only for bias monitoring).",
        ]
    )

    d.h(2, "Tier 2 — 5. Technical specification and performance")
    d.table(
        ["", ""],
        [
            [
                "Model",
                "a blend of scikit-learn HistGradientBoostingClassifier (monotone in arrears, "
                "notices, benefit cuts and earlier approaches) and LogisticRegression on "
                "log-scaled arrears and indicators; their log-odds averaged, then calibrated "
                f"({'Platt / sigmoid' if cfg.calibration == 'sigmoid' else cfg.calibration}: "
                "CalibratedClassifierCV on a FrozenEstimator) on a later time slice",
            ],
            [
                "Settings",
                f"{cfg.max_iter} iterations, learning rate {cfg.learning_rate}, "
                f"{cfg.max_leaf_nodes} leaves, min {cfg.min_samples_leaf} rows per leaf, L2 "
                f"{cfg.l2_regularization}, {cfg.max_bins} bins; logistic C {cfg.logistic_c}; "
                f"seed {cfg.seed}",
            ],
            ["Label", f"an approach in months m+1 .. m+{F.HORIZON} of the household-month m"],
            [
                "Training months",
                f"{_month(g('train_first_month'))} to "
                f"{_month(g('train_last_month'))} ({g('train_rows'):,.0f} household-months, "
                f"{g('train_positive_rate'):.2%} positive)",
            ],
            [
                "Calibration months",
                f"{_month(g('calibration_first_month'))} to "
                f"{_month(g('calibration_last_month'))} ({g('calibration_rows'):,.0f})",
            ],
            [
                "Held-out months",
                f"{_month(g('holdout_first_month'))} to "
                f"{_month(g('holdout_last_month'))} ({g('holdout_rows'):,.0f} household-months, "
                f"{g('observed_rate'):.2%} positive); the fit's labels never reach past its "
                "cut-off",
            ],
            [
                "Explanations",
                "occlusion: each factor reset to a no-recorded-need reference and "
                "the household re-scored; the largest drops are phrased from the household's own "
                "values",
            ],
            [
                "Maintenance",
                "retrained monthly on the newest complete labels; the version's hash "
                "changes whenever the features or settings do",
            ],
        ],
    )
    rows = [
        ["ROC AUC", g("roc_auc")],
        ["average precision", g("average_precision")],
        ["Brier score", g("brier_score")],
        ["expected calibration error (10 bins)", g("ece")],
        ["expected calibration error (deciles)", g("ece_adaptive")],
        ["mean score / observed rate", f"{g('mean_score'):.4f} / {g('observed_rate'):.4f}"],
        [f"precision at capacity (top {cap} a month)", g("precision_at_capacity")],
        [f"recall at capacity (top {cap} a month)", g("recall_at_capacity")],
        ["lift at capacity", g("lift_at_capacity")],
        [
            "precision / recall at capacity, arrears rule",
            f"{g('baseline_precision_at_capacity'):.4f} / {g('baseline_recall_at_capacity'):.4f}",
        ],
    ]
    d.table(["metric (held-out months)", "value"], rows)
    d.img("calibration.png", calibration_plot(m), "Calibration by score decile (held-out months)")
    d.img("roc.png", roc_plot(hold), "ROC curve of the model and the arrears rule (held-out)")

    d.h(2, "Tier 2 — 6. Fairness and impact assessment")
    d.p(
        "Protected characteristics (`dim_resident_protected`: ethnic group, disability; "
        "`dim_resident`: sex, age band) are read after scoring, only to monitor the model. "
        "Household groups: the household reference person's (eldest adult's) ethnic group, sex "
        "and age band; any disabled member. Measured on the held-out months at the team's "
        "capacity. Ratios are to all households (selection-rate ratios below 0.8 or above 1.25 "
        "are flagged for review). Groups with fewer than 10 households or outcomes are "
        "suppressed."
    )
    if fair is not None and len(fair):
        frows = []
        for _, r in fair.iterrows():
            flag = ""
            ratio = r["selection_rate_ratio"]
            if r["characteristic"] != "all" and pd.notna(ratio) and (ratio < 0.8 or ratio > 1.25):
                flag = "review"
            frows.append(
                [
                    r["characteristic"],
                    r["group_name"],
                    "suppressed" if r["suppressed"] else _cell(r["households"]),
                    r["selection_rate"],
                    r["tpr"],
                    r["fpr"],
                    r["mean_score"],
                    r["observed_rate"],
                    r["selection_rate_ratio"],
                    r["tpr_ratio"],
                    flag,
                ]
            )
        d.table(
            [
                "characteristic",
                "group",
                "households",
                "selection rate",
                "TPR",
                "FPR",
                "mean score",
                "observed rate",
                "selection ratio",
                "TPR ratio",
                "",
            ],
            frows,
        )
        d.p(
            "Recording caveat: services record ethnicity and disability mostly when people "
            "are in contact with them in difficulty (homelessness approaches, social care), so "
            "households with a *known* group have much higher observed rates than 'Not known' "
            "ones, and their selection ratios run high. Read selection ratios together with "
            "each group's observed rate, its calibration (mean score against observed rate) "
            "and its TPR ratio (equal opportunity)."
        )
        d.p(
            "Reading the table: different selection rates can reflect different observed "
            "rates of homelessness (compare mean score with observed rate: a calibrated model "
            "matches them within each group). A group whose TPR ratio is low is one whose "
            "future approaches the model misses more often: the team should check whether "
            "that group's needs are under-recorded in the services' data."
        )
    else:
        d.p("No fairness table in the warehouse (mart_risk_fairness not built).")

    d.h(2, "Tier 2 — 7. Risks and mitigations")
    d.table(
        ["risk", "mitigation"],
        [
            [
                "Stigma or intrusion: being contacted because of a score",
                "contact is an officer-reviewed offer of help; reasons shown to the officer; "
                "the right to object removes a household from scoring",
            ],
            [
                "Bias against groups with protected characteristics",
                "no protected characteristic, age or place is a feature (tested); monitoring by "
                "group every build (mart_risk_fairness); suppression of small groups",
            ],
            [
                "Automation bias: officers deferring to the score",
                "bands by capacity, not by a 'homeless' label; training; the score is one input",
            ],
            [
                "Linkage errors: records of different households joined, or one split",
                "linkage quality measured (`insight-hub evaluate linkage`); evaluation against the "
                "synthetic truth (`insight-hub evaluate risk`)",
            ],
            [
                "Drift: circumstances or recording change",
                "monthly retraining on the newest complete labels; held-out metrics and "
                "calibration in every build; version hash recorded on every score",
            ],
            [
                "Feedback loop: help offered changes outcomes the model learns from",
                "record contacts made; evaluate on households not contacted where possible",
            ],
            [
                "Data minimisation",
                "only the needs-profile columns of datasets the purpose may use are read",
            ],
        ],
    )

    if fc is not None and len(fc):
        d.h(2, "Appendix — temporary accommodation demand forecast")
        fm = dict(zip(fc["model"] + ":" + fc["metric"], fc["value"], strict=False))
        mm = fm.get(f"{FC.MODEL_NAME}:mase", float("nan"))
        nn = fm.get("seasonal_naive:mase", float("nan"))
        d.p(
            "Placements starting per month (borough, wards), 12 months ahead with 80% and 95% "
            "intervals; the mean of a Poisson GLM with trend and seasonal terms, the same "
            "without trend, and the last 12 months' level; wards by recent share. "
            "Rolling-origin backtest against seasonal naive:"
        )
        d.table(
            ["", "value"],
            [
                ["MASE, model", mm],
                ["MASE, seasonal naive", nn],
                ["improvement", fm.get(f"{FC.MODEL_NAME}:mase_improvement")],
                ["80% interval coverage", fm.get(f"{FC.MODEL_NAME}:coverage_80")],
                ["95% interval coverage", fm.get(f"{FC.MODEL_NAME}:coverage_95")],
            ],
        )
    reasons_list = ", ".join(sorted(explain.FACTORS))
    d.p(f"Explanation factors: {reasons_list}.")
    return d


def write_card(doc: Doc, out_dir: str | Path) -> dict[str, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out / "model_card.md", "html": out / "model_card.html"}
    paths["markdown"].write_text(doc.markdown(), encoding="utf-8")
    paths["html"].write_text(doc.html("Homelessness risk model — ATRS record"), encoding="utf-8")
    for name, png in doc.images.items():
        (out / name).write_bytes(png)
        paths[name] = out / name
    return paths


@click.command("model-card")
@click.option(
    "--warehouse",
    default=lambda: os.environ.get("INSIGHT_HUB_WAREHOUSE", "warehouse/insight_hub.duckdb"),
    show_default="$INSIGHT_HUB_WAREHOUSE or warehouse/insight_hub.duckdb",
    help="The built warehouse (opened read-only).",
)
@click.option(
    "--out", "out_dir", default="reports/model_card", show_default=True, help="Output folder."
)
def model_card(warehouse: str, out_dir: str):
    """Write the risk model's ATRS-structured model card (Markdown + offline HTML, plots)."""
    if not Path(warehouse).is_file():
        click.echo(f"insight-hub model-card: no warehouse at {warehouse}.", err=True)
        sys.exit(1)
    try:
        data = read_warehouse(warehouse)
        paths = write_card(build_card(data), out_dir)
    except (duckdb.Error, ValueError) as err:
        click.echo(f"insight-hub model-card: {err}", err=True)
        sys.exit(1)
    click.echo(f"model card: {paths['markdown']} and {paths['html']}")
