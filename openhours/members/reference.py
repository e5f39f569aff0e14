"""The curated lists members pick from: professions and skills.

Professions follow the NHS staff groups, widened to social care, local government, the
voluntary sector and universities. ``cost_group`` names the practitioner role group in the
PSSRU unit-costs table (Unit Costs of Health and Social Care 2024) used for notional value.
"""

from __future__ import annotations

from typing import Any

PROFESSIONS: list[tuple[str, str, str]] = [
    # (name, staff group, unit-cost role group)
    ("General practitioner", "Medical and dental", "GP"),
    ("Hospital doctor", "Medical and dental", "Other Doctor"),
    ("Physician associate", "Medical and dental", "Physician Associate"),
    ("Registered nurse", "Nursing and midwifery", "Nurse"),
    ("Nursing associate", "Nursing and midwifery", "Nursing Associate"),
    ("Midwife", "Nursing and midwifery", "Nurse"),
    ("Health visitor", "Nursing and midwifery", "Nurse"),
    ("Healthcare assistant", "Support to clinical staff", "HCA"),
    ("Paramedic", "Ambulance staff", "Paramedic"),
    ("Pharmacist", "Pharmacy", "Pharmacist"),
    ("Pharmacy technician", "Pharmacy", "Pharmacy Technician"),
    ("Physiotherapist", "Allied health professions", "Physiotherapist"),
    ("Occupational therapist", "Allied health professions", "Other Clinical"),
    ("Speech and language therapist", "Allied health professions", "Other Clinical"),
    ("Dietitian", "Allied health professions", "Other Clinical"),
    ("Clinical psychologist", "Psychological professions", "Mental Health Practitioner"),
    ("Mental health practitioner", "Psychological professions", "Mental Health Practitioner"),
    ("Counsellor", "Psychological professions", "Counsellor"),
    ("Healthcare scientist", "Healthcare science", "Other Clinical"),
    ("Social prescriber", "Primary care roles", "Social Prescriber"),
    ("Care navigator", "Primary care roles", "Care Navigator"),
    ("Health and wellbeing coach", "Primary care roles", "Health & Wellbeing Coach"),
    ("Practice manager", "Management", "Admin"),
    ("Manager", "Management", "Admin"),
    ("Data and information analyst", "Central functions", "Admin"),
    ("Digital and IT specialist", "Central functions", "Admin"),
    ("Finance professional", "Central functions", "Admin"),
    ("HR and organisational development", "Central functions", "Admin"),
    ("Quality improvement specialist", "Central functions", "Admin"),
    ("Project and programme manager", "Central functions", "Admin"),
    ("Communications and engagement", "Central functions", "Admin"),
    ("Administrator", "Central functions", "Admin"),
    ("Estates and facilities", "Estates and facilities", "Other"),
    ("Public health specialist", "Public health", "Other"),
    ("Social worker", "Social care", "Other"),
    ("Social care worker", "Social care", "Other"),
    ("Care home manager", "Social care", "Other"),
    ("Local authority officer", "Local government", "Other"),
    ("Voluntary sector worker", "Voluntary and community sector", "Other"),
    ("Researcher or academic", "Universities and research", "Other"),
    ("Educator or trainer", "Education and training", "Other"),
    ("Student", "Students and volunteers", "Other"),
    ("Volunteer", "Students and volunteers", "Other"),
]

SKILLS: list[tuple[str, str]] = [
    # (name, category)
    ("QI coaching", "improvement"),
    ("Model for improvement (PDSA)", "improvement"),
    ("Process mapping", "improvement"),
    ("Lean and flow", "improvement"),
    ("Statistical process control", "improvement"),
    ("Data analysis", "data"),
    ("Excel and spreadsheets", "data"),
    ("Power BI dashboards", "data"),
    ("SQL", "data"),
    ("R or Python", "data"),
    ("Population health analytics", "data"),
    ("Demand and capacity modelling", "data"),
    ("Digital tools and apps", "digital"),
    ("Electronic patient records", "digital"),
    ("Virtual wards and remote monitoring", "digital"),
    ("Information governance", "digital"),
    ("Business cases", "finance"),
    ("Options appraisal", "finance"),
    ("Budgeting and financial planning", "finance"),
    ("Procurement and commissioning", "finance"),
    ("Clinical audit", "clinical"),
    ("Clinical guidelines", "clinical"),
    ("Medicines optimisation", "clinical"),
    ("Patient safety", "clinical"),
    ("Frailty and older people's care", "clinical"),
    ("Long-term conditions", "clinical"),
    ("Mental health", "clinical"),
    ("Patient experience", "patient_experience"),
    ("Co-production with patients", "patient_experience"),
    ("Surveys and focus groups", "patient_experience"),
    ("Health inequalities", "patient_experience"),
    ("Research methods", "research"),
    ("Evaluation", "research"),
    ("Literature searching", "research"),
    ("Grant writing", "research"),
    ("Teaching and facilitation", "education"),
    ("Simulation training", "education"),
    ("Coaching and mentoring", "education"),
    ("Leadership development", "leadership"),
    ("Project management", "leadership"),
    ("Change management", "leadership"),
    ("Writing and communications", "leadership"),
    ("Stakeholder engagement", "leadership"),
    ("Recruitment and retention", "workforce"),
    ("Rota and workforce planning", "workforce"),
    ("Staff wellbeing", "wellbeing"),
    ("Equality, diversity and inclusion", "workforce"),
    ("Estates and space planning", "estates"),
    ("Sustainability and net zero", "estates"),
    ("Safeguarding", "social_care"),
    ("Care Act assessments", "social_care"),
    ("Discharge and hospital flow", "social_care"),
    ("Community and voluntary partnerships", "social_care"),
    ("Peer support", "wellbeing"),
    ("Mindfulness and resilience", "wellbeing"),
]


def install(profession_model: Any, skill_model: Any) -> None:
    """Create or refresh the curated lists. Takes the models so a data migration can pass
    its historical models and tests can pass the real ones; safe to run repeatedly."""
    for name, group, cost_group in PROFESSIONS:
        profession_model.objects.update_or_create(
            name=name, defaults={"staff_group": group, "cost_group": cost_group}
        )
    for name, category in SKILLS:
        skill_model.objects.update_or_create(
            name=name, defaults={"category": category, "curated": True}
        )
