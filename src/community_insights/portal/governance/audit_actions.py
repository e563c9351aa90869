"""The audit actions of the governance area (imported from ``GovernanceConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "governance.dpia_edit": "Edited a sentence of the DPIA",
        "governance.dpia_risk_rate": "Rated or accepted a risk in the DPIA",
        "governance.dpia_submit": "Sent a DPIA version for approval",
        "governance.dpia_decide": "Decided on a DPIA version",
        "governance.agreement_save": "Wrote or changed a sharing agreement",
        "governance.agreement_sign": "Signed a sharing agreement for an organisation",
        "governance.dpia_download": "Downloaded a DPIA version (Word or PDF)",
        "governance.agreement_download": "Downloaded a sharing agreement (Word or PDF)",
    }
)
