"""What demo members do: job titles, typical skills and pay bands for each profession.

Profession names match ``openhours.members.reference.PROFESSIONS`` and skill names match
its ``SKILLS`` exactly; a test holds them to that. Titles can differ by setting (see
``workplaces``): a nurse in general practice is a practice nurse.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProfessionContent:
    """How a profession shows up on a profile."""

    noun: str  # "a nurse", used in "I've been {noun} for 12 years"
    titles: tuple[str, ...]  # job titles anywhere
    skills: tuple[str, ...]  # curated skills, most typical first
    bands: tuple[str, ...] = ()  # plausible Agenda for Change bands; empty: none
    setting_titles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (setting, titles)

    def titles_for(self, setting: str) -> tuple[str, ...]:
        for name, titles in self.setting_titles:
            if name == setting:
                return titles
        return self.titles


_NHS_ADMIN_BANDS = ("5", "6", "6", "7", "7", "8a")

PROFESSION_CONTENT: dict[str, ProfessionContent] = {
    "General practitioner": ProfessionContent(
        noun="a GP",
        titles=("GP Partner", "Salaried GP", "Locum GP", "GP Trainee (ST3)"),
        setting_titles=(
            ("pcn", ("Clinical Director", "GP and Clinical Director")),
            ("icb", ("Clinical Lead for Long-term Conditions", "GP Clinical Lead, Primary Care")),
        ),
        skills=(
            "Long-term conditions",
            "Clinical guidelines",
            "Frailty and older people's care",
            "Medicines optimisation",
            "Clinical audit",
            "Coaching and mentoring",
            "Teaching and facilitation",
            "Leadership development",
        ),
        bands=("other",),
    ),
    "Hospital doctor": ProfessionContent(
        noun="a doctor",
        titles=(
            "Consultant Geriatrician",
            "Consultant in Acute Medicine",
            "Consultant Anaesthetist",
            "Specialty Registrar, Respiratory Medicine",
            "Foundation Year 2 Doctor",
            "Consultant Paediatrician",
            "Specialty Doctor, Emergency Medicine",
            "Consultant Cardiologist",
        ),
        setting_titles=(
            ("mental_health", ("Consultant Psychiatrist", "Specialty Doctor, Adult Psychiatry")),
            ("hospice", ("Consultant in Palliative Medicine", "Specialty Doctor, Palliative Care")),
        ),
        skills=(
            "Clinical audit",
            "Clinical guidelines",
            "Patient safety",
            "Research methods",
            "Teaching and facilitation",
            "Simulation training",
            "Frailty and older people's care",
            "Statistical process control",
        ),
        bands=("medical",),
    ),
    "Physician associate": ProfessionContent(
        noun="a physician associate",
        titles=("Physician Associate", "Physician Associate, Acute Medicine"),
        skills=(
            "Clinical guidelines",
            "Long-term conditions",
            "Teaching and facilitation",
            "Clinical audit",
        ),
        bands=("7",),
    ),
    "Registered nurse": ProfessionContent(
        noun="a nurse",
        titles=(
            "Staff Nurse, Acute Medical Unit",
            "Ward Sister, Elderly Care",
            "Clinical Nurse Specialist, Diabetes",
            "Matron, Surgery",
            "Tissue Viability Nurse Specialist",
            "Infection Prevention and Control Nurse",
            "Practice Development Nurse",
            "Senior Staff Nurse, Emergency Department",
            "Clinical Nurse Specialist, Heart Failure",
        ),
        setting_titles=(
            (
                "gp_practice",
                ("Practice Nurse", "Advanced Nurse Practitioner", "Lead Practice Nurse"),
            ),
            ("community", ("District Nurse", "Community Matron", "District Nursing Sister")),
            ("mental_health", ("Community Mental Health Nurse", "Ward Manager, Adult Acute")),
            ("hospice", ("Hospice Staff Nurse", "Clinical Nurse Specialist, Palliative Care")),
            ("icb", ("Head of Quality", "Designated Nurse, Safeguarding Adults")),
            ("social_care", ("Nurse, Nursing Home", "Clinical Lead Nurse")),
            ("ambulance", ("Clinical Hub Nurse", "Clinical Navigator")),
        ),
        skills=(
            "Patient safety",
            "Clinical audit",
            "Long-term conditions",
            "Teaching and facilitation",
            "Frailty and older people's care",
            "Model for improvement (PDSA)",
            "Coaching and mentoring",
            "Patient experience",
            "Safeguarding",
            "Rota and workforce planning",
        ),
        bands=("5", "5", "6", "6", "7", "7", "8a"),
    ),
    "Nursing associate": ProfessionContent(
        noun="a nursing associate",
        titles=("Nursing Associate", "Trainee Nursing Associate", "Nursing Associate, Frailty"),
        skills=("Patient experience", "Frailty and older people's care", "Peer support"),
        bands=("4",),
    ),
    "Midwife": ProfessionContent(
        noun="a midwife",
        titles=(
            "Community Midwife",
            "Labour Ward Coordinator",
            "Specialist Midwife, Perinatal Mental Health",
            "Practice Development Midwife",
        ),
        skills=(
            "Patient safety",
            "Health inequalities",
            "Teaching and facilitation",
            "Simulation training",
            "Co-production with patients",
        ),
        bands=("6", "6", "7"),
    ),
    "Health visitor": ProfessionContent(
        noun="a health visitor",
        titles=(
            "Health Visitor",
            "Specialist Community Public Health Nurse",
            "Team Lead Health Visitor",
        ),
        skills=(
            "Health inequalities",
            "Safeguarding",
            "Co-production with patients",
            "Peer support",
        ),
        bands=("6", "7"),
    ),
    "Healthcare assistant": ProfessionContent(
        noun="a healthcare assistant",
        titles=("Healthcare Assistant", "Senior Healthcare Assistant", "Clinical Support Worker"),
        setting_titles=(
            ("ambulance", ("Emergency Care Assistant", "Ambulance Care Assistant")),
            ("gp_practice", ("Healthcare Assistant", "Phlebotomist and HCA")),
        ),
        skills=("Patient experience", "Peer support", "Frailty and older people's care"),
        bands=("2", "3", "3"),
    ),
    "Paramedic": ProfessionContent(
        noun="a paramedic",
        titles=(
            "Paramedic",
            "Specialist Paramedic, Urgent Care",
            "Advanced Paramedic Practitioner",
            "Clinical Team Leader",
        ),
        setting_titles=(
            ("gp_practice", ("Paramedic Practitioner", "Advanced Paramedic, Home Visiting")),
            ("pcn", ("First Contact Paramedic", "Paramedic, PCN Home Visiting Service")),
        ),
        skills=(
            "Frailty and older people's care",
            "Discharge and hospital flow",
            "Simulation training",
            "Mental health",
            "Teaching and facilitation",
            "Patient safety",
        ),
        bands=("5", "6", "6", "7"),
    ),
    "Pharmacist": ProfessionContent(
        noun="a pharmacist",
        titles=(
            "Clinical Pharmacist",
            "Lead Pharmacist, Antimicrobials",
            "Specialist Pharmacist, Care of Older People",
        ),
        setting_titles=(
            ("pcn", ("Clinical Pharmacist", "Senior Clinical Pharmacist, PCN")),
            ("icb", ("Medicines Optimisation Pharmacist", "Head of Medicines Optimisation")),
            ("gp_practice", ("Practice Pharmacist",)),
        ),
        skills=(
            "Medicines optimisation",
            "Clinical audit",
            "Long-term conditions",
            "Clinical guidelines",
            "Teaching and facilitation",
            "Data analysis",
        ),
        bands=("7", "7", "8a", "8b"),
    ),
    "Pharmacy technician": ProfessionContent(
        noun="a pharmacy technician",
        titles=(
            "Pharmacy Technician",
            "Senior Pharmacy Technician",
            "Medicines Management Technician",
        ),
        skills=("Medicines optimisation", "Excel and spreadsheets", "Process mapping"),
        bands=("5", "6"),
    ),
    "Physiotherapist": ProfessionContent(
        noun="a physio",
        titles=(
            "Physiotherapist, Respiratory",
            "Advanced Practice Physiotherapist, MSK",
            "Senior Physiotherapist, Stroke",
            "Physiotherapy Team Lead",
        ),
        setting_titles=(
            ("pcn", ("First Contact Physiotherapist",)),
            ("community", ("Community Physiotherapist", "Falls Prevention Physiotherapist")),
        ),
        skills=(
            "Long-term conditions",
            "Frailty and older people's care",
            "Teaching and facilitation",
            "Model for improvement (PDSA)",
            "Evaluation",
            "Co-production with patients",
        ),
        bands=("5", "6", "7", "7", "8a"),
    ),
    "Occupational therapist": ProfessionContent(
        noun="an OT",
        titles=(
            "Occupational Therapist",
            "Senior Occupational Therapist, Acute Frailty",
            "Occupational Therapy Lead",
        ),
        setting_titles=(
            (
                "local_authority",
                ("Occupational Therapist, Adult Social Care", "Senior OT, Reablement"),
            ),
            ("mental_health", ("Occupational Therapist, Community Mental Health Team",)),
        ),
        skills=(
            "Frailty and older people's care",
            "Discharge and hospital flow",
            "Care Act assessments",
            "Co-production with patients",
            "Process mapping",
            "Mental health",
        ),
        bands=("5", "6", "7"),
    ),
    "Speech and language therapist": ProfessionContent(
        noun="a speech and language therapist",
        titles=("Speech and Language Therapist", "Highly Specialist SLT, Dysphagia"),
        skills=(
            "Teaching and facilitation",
            "Patient experience",
            "Co-production with patients",
            "Evaluation",
        ),
        bands=("5", "6", "7"),
    ),
    "Dietitian": ProfessionContent(
        noun="a dietitian",
        titles=("Dietitian", "Specialist Dietitian, Diabetes", "Community Dietitian"),
        skills=(
            "Long-term conditions",
            "Teaching and facilitation",
            "Health inequalities",
            "Evaluation",
        ),
        bands=("5", "6", "7"),
    ),
    "Clinical psychologist": ProfessionContent(
        noun="a clinical psychologist",
        titles=(
            "Clinical Psychologist",
            "Principal Clinical Psychologist",
            "Consultant Clinical Psychologist",
        ),
        skills=(
            "Mental health",
            "Staff wellbeing",
            "Research methods",
            "Evaluation",
            "Coaching and mentoring",
            "Teaching and facilitation",
        ),
        bands=("8a", "8b", "8c"),
    ),
    "Mental health practitioner": ProfessionContent(
        noun="a mental health practitioner",
        titles=(
            "Mental Health Practitioner",
            "Crisis Team Practitioner",
            "Psychological Wellbeing Practitioner",
            "High Intensity Therapist",
        ),
        setting_titles=(
            ("pcn", ("Mental Health Practitioner, Primary Care",)),
            ("ambulance", ("Mental Health Practitioner, Clinical Hub",)),
        ),
        skills=(
            "Mental health",
            "Peer support",
            "Safeguarding",
            "Coaching and mentoring",
            "Evaluation",
        ),
        bands=("5", "6", "7"),
    ),
    "Counsellor": ProfessionContent(
        noun="a counsellor",
        titles=("Counsellor", "Bereavement Counsellor", "Staff Counsellor"),
        skills=("Mental health", "Staff wellbeing", "Mindfulness and resilience", "Peer support"),
        bands=("6", "7"),
    ),
    "Healthcare scientist": ProfessionContent(
        noun="a healthcare scientist",
        titles=(
            "Biomedical Scientist",
            "Clinical Scientist, Medical Physics",
            "Cardiac Physiologist",
            "Senior Biomedical Scientist, Blood Sciences",
        ),
        skills=(
            "Statistical process control",
            "Data analysis",
            "Research methods",
            "Lean and flow",
            "Clinical audit",
            "R or Python",
        ),
        bands=("5", "6", "7", "8a"),
    ),
    "Social prescriber": ProfessionContent(
        noun="a social prescribing link worker",
        titles=(
            "Social Prescribing Link Worker",
            "Senior Social Prescriber",
            "Social Prescribing Lead",
        ),
        skills=(
            "Community and voluntary partnerships",
            "Health inequalities",
            "Co-production with patients",
            "Peer support",
            "Mental health",
        ),
        bands=("4", "5"),
    ),
    "Care navigator": ProfessionContent(
        noun="a care navigator",
        titles=(
            "Care Navigator",
            "Senior Receptionist and Care Navigator",
            "Patient Services Lead",
        ),
        skills=("Patient experience", "Process mapping", "Digital tools and apps"),
        bands=("3", "4"),
    ),
    "Health and wellbeing coach": ProfessionContent(
        noun="a health and wellbeing coach",
        titles=("Health and Wellbeing Coach", "Health Coach, Long-term Conditions"),
        skills=(
            "Coaching and mentoring",
            "Long-term conditions",
            "Health inequalities",
            "Peer support",
        ),
        bands=("4", "5"),
    ),
    "Practice manager": ProfessionContent(
        noun="a practice manager",
        titles=("Practice Manager", "Business Manager", "Assistant Practice Manager"),
        skills=(
            "Budgeting and financial planning",
            "Recruitment and retention",
            "Rota and workforce planning",
            "Estates and space planning",
            "Information governance",
            "Digital tools and apps",
            "Excel and spreadsheets",
        ),
        bands=("other",),
    ),
    "Manager": ProfessionContent(
        noun="a manager",
        titles=(
            "Service Manager, Urgent Care",
            "Operational Manager, Outpatients",
            "General Manager, Surgery",
            "Head of Service",
            "Deputy Director of Operations",
        ),
        setting_titles=(
            ("pcn", ("PCN Manager", "PCN Operations Manager")),
            (
                "icb",
                (
                    "Head of Primary Care",
                    "Associate Director of Transformation",
                    "Locality Manager",
                ),
            ),
            ("voluntary", ("Chief Executive", "Services Manager")),
            ("hospice", ("Director of Care", "Head of Clinical Services")),
            ("university", ("Head of Placements", "Programme Manager, Health Partnerships")),
            (
                "local_authority",
                ("Head of Adult Social Care", "Service Manager, Hospital Discharge"),
            ),
            ("social_care", ("Operations Manager", "Registered Manager, Home Care")),
        ),
        skills=(
            "Change management",
            "Leadership development",
            "Budgeting and financial planning",
            "Stakeholder engagement",
            "Project management",
            "Business cases",
            "Demand and capacity modelling",
        ),
        bands=("7", "8a", "8b", "8c", "8d"),
    ),
    "Data and information analyst": ProfessionContent(
        noun="an analyst",
        titles=(
            "Information Analyst",
            "Senior Data Analyst",
            "Business Intelligence Developer",
            "Principal Analyst",
            "Performance Analyst",
        ),
        setting_titles=(
            (
                "icb",
                (
                    "Population Health Analyst",
                    "Senior Analyst, Business Intelligence",
                    "Head of Analytics",
                ),
            ),
            (
                "local_authority",
                ("Public Health Intelligence Analyst", "Data Officer, Adult Social Care"),
            ),
        ),
        skills=(
            "Data analysis",
            "Power BI dashboards",
            "SQL",
            "R or Python",
            "Excel and spreadsheets",
            "Statistical process control",
            "Population health analytics",
            "Demand and capacity modelling",
        ),
        bands=_NHS_ADMIN_BANDS,
    ),
    "Digital and IT specialist": ProfessionContent(
        noun="in digital and IT",
        titles=(
            "Digital Transformation Lead",
            "EPR Trainer",
            "Clinical Systems Analyst",
            "Digital Programme Manager",
            "Chief Nursing Information Officer",
        ),
        skills=(
            "Digital tools and apps",
            "Electronic patient records",
            "Virtual wards and remote monitoring",
            "Information governance",
            "Project management",
            "Teaching and facilitation",
        ),
        bands=_NHS_ADMIN_BANDS,
    ),
    "Finance professional": ProfessionContent(
        noun="in NHS finance",
        titles=(
            "Management Accountant",
            "Finance Business Partner",
            "Senior Financial Analyst",
            "Head of Costing",
        ),
        skills=(
            "Business cases",
            "Options appraisal",
            "Budgeting and financial planning",
            "Procurement and commissioning",
            "Excel and spreadsheets",
        ),
        bands=("5", "6", "7", "8a", "8b"),
    ),
    "HR and organisational development": ProfessionContent(
        noun="in HR and OD",
        titles=(
            "HR Business Partner",
            "Organisational Development Practitioner",
            "Recruitment Lead",
            "Freedom to Speak Up Guardian",
            "Retention Lead",
        ),
        skills=(
            "Recruitment and retention",
            "Equality, diversity and inclusion",
            "Staff wellbeing",
            "Coaching and mentoring",
            "Leadership development",
            "Teaching and facilitation",
        ),
        bands=_NHS_ADMIN_BANDS,
    ),
    "Quality improvement specialist": ProfessionContent(
        noun="in quality improvement",
        titles=("QI Facilitator", "Improvement Advisor", "Head of Quality Improvement", "QI Coach"),
        skills=(
            "QI coaching",
            "Model for improvement (PDSA)",
            "Process mapping",
            "Statistical process control",
            "Lean and flow",
            "Teaching and facilitation",
            "Change management",
        ),
        bands=("6", "7", "8a", "8b"),
    ),
    "Project and programme manager": ProfessionContent(
        noun="a project manager",
        titles=(
            "Project Manager",
            "Programme Manager, Urgent and Emergency Care",
            "Transformation Project Manager",
            "PMO Lead",
        ),
        skills=(
            "Project management",
            "Stakeholder engagement",
            "Change management",
            "Business cases",
            "Process mapping",
            "Writing and communications",
        ),
        bands=("6", "7", "8a", "8b"),
    ),
    "Communications and engagement": ProfessionContent(
        noun="in communications",
        titles=(
            "Communications Officer",
            "Engagement Manager",
            "Digital Communications Lead",
            "Patient Involvement Lead",
        ),
        skills=(
            "Writing and communications",
            "Stakeholder engagement",
            "Co-production with patients",
            "Surveys and focus groups",
            "Patient experience",
        ),
        bands=("5", "6", "7", "8a"),
    ),
    "Administrator": ProfessionContent(
        noun="in admin",
        titles=(
            "Medical Secretary",
            "Ward Clerk",
            "Outpatient Booking Coordinator",
            "Team Administrator",
            "PA to the Director of Nursing",
        ),
        setting_titles=(
            (
                "gp_practice",
                ("Prescriptions Clerk", "Medical Secretary", "Data Quality Administrator"),
            ),
        ),
        skills=(
            "Excel and spreadsheets",
            "Process mapping",
            "Digital tools and apps",
            "Writing and communications",
        ),
        bands=("2", "3", "3", "4"),
    ),
    "Estates and facilities": ProfessionContent(
        noun="in estates and facilities",
        titles=(
            "Estates Manager",
            "Sustainability Manager",
            "Capital Projects Officer",
            "Facilities Supervisor",
        ),
        setting_titles=(("ambulance", ("Fleet Manager", "Estates and Facilities Lead")),),
        skills=(
            "Estates and space planning",
            "Sustainability and net zero",
            "Project management",
            "Procurement and commissioning",
        ),
        bands=("4", "5", "6", "7", "8a"),
    ),
    "Public health specialist": ProfessionContent(
        noun="in public health",
        titles=(
            "Consultant in Public Health",
            "Public Health Principal",
            "Health Improvement Practitioner",
            "Public Health Registrar",
        ),
        skills=(
            "Health inequalities",
            "Population health analytics",
            "Evaluation",
            "Research methods",
            "Community and voluntary partnerships",
            "Literature searching",
        ),
        bands=("7", "8a", "8b"),
    ),
    "Social worker": ProfessionContent(
        noun="a social worker",
        titles=(
            "Social Worker, Adult Social Care",
            "Senior Practitioner",
            "Approved Mental Health Professional",
            "Hospital Social Worker",
            "Principal Social Worker",
        ),
        skills=(
            "Safeguarding",
            "Care Act assessments",
            "Discharge and hospital flow",
            "Mental health",
            "Community and voluntary partnerships",
            "Coaching and mentoring",
        ),
        bands=("other",),
    ),
    "Social care worker": ProfessionContent(
        noun="in social care",
        titles=(
            "Care Worker",
            "Senior Care Assistant",
            "Reablement Support Worker",
            "Team Leader, Home Care",
        ),
        skills=(
            "Frailty and older people's care",
            "Safeguarding",
            "Peer support",
            "Patient experience",
        ),
        bands=("other",),
    ),
    "Care home manager": ProfessionContent(
        noun="a care home manager",
        titles=("Registered Manager", "Deputy Care Home Manager", "Care Home Manager"),
        skills=(
            "Recruitment and retention",
            "Safeguarding",
            "Frailty and older people's care",
            "Rota and workforce planning",
            "Discharge and hospital flow",
        ),
        bands=("other",),
    ),
    "Local authority officer": ProfessionContent(
        noun="in local government",
        titles=(
            "Commissioning Officer, Adult Social Care",
            "Housing Options Officer",
            "Community Development Officer",
            "Policy Officer, Health and Wellbeing Board",
        ),
        skills=(
            "Procurement and commissioning",
            "Community and voluntary partnerships",
            "Stakeholder engagement",
            "Writing and communications",
            "Health inequalities",
        ),
        bands=("other",),
    ),
    "Voluntary sector worker": ProfessionContent(
        noun="in the voluntary sector",
        titles=(
            "Community Connector",
            "Carers Support Worker",
            "Volunteer Coordinator",
            "Project Worker, Hospital to Home",
            "Development Manager",
        ),
        skills=(
            "Community and voluntary partnerships",
            "Health inequalities",
            "Co-production with patients",
            "Grant writing",
            "Peer support",
            "Surveys and focus groups",
        ),
        bands=("other",),
    ),
    "Researcher or academic": ProfessionContent(
        noun="a researcher",
        titles=(
            "Senior Lecturer in Nursing",
            "Research Fellow, Health Services Research",
            "Professor of Primary Care",
            "Lecturer in Public Health",
            "Research Associate",
        ),
        skills=(
            "Research methods",
            "Evaluation",
            "Literature searching",
            "Grant writing",
            "R or Python",
            "Teaching and facilitation",
        ),
        bands=("other",),
    ),
    "Educator or trainer": ProfessionContent(
        noun="an educator",
        titles=(
            "Clinical Educator",
            "Practice Education Facilitator",
            "Simulation Lead",
            "Learning and Development Advisor",
        ),
        skills=(
            "Teaching and facilitation",
            "Simulation training",
            "Coaching and mentoring",
            "Leadership development",
            "Evaluation",
        ),
        bands=("6", "7", "8a"),
    ),
    "Student": ProfessionContent(
        noun="a student",
        titles=(
            "Student Nurse (Year 3)",
            "Medical Student",
            "Student Paramedic",
            "MSc Student, Health Data Science",
            "Student Physiotherapist",
        ),
        skills=(
            "Literature searching",
            "Excel and spreadsheets",
            "Digital tools and apps",
            "Surveys and focus groups",
        ),
    ),
    "Volunteer": ProfessionContent(
        noun="a volunteer",
        titles=(
            "Volunteer, Patient Experience Team",
            "Ward Volunteer",
            "Patient Partner",
            "Hospice Volunteer",
        ),
        skills=(
            "Patient experience",
            "Peer support",
            "Co-production with patients",
            "Writing and communications",
        ),
    ),
}

# Help most people can offer, whatever their job: added now and then to a profile.
CROSS_CUTTING_SKILLS: tuple[str, ...] = (
    "Coaching and mentoring",
    "Teaching and facilitation",
    "Excel and spreadsheets",
    "Staff wellbeing",
    "Writing and communications",
    "Peer support",
    "Equality, diversity and inclusion",
    "Project management",
)
