from django.urls import path

from equiserve.employment import views

app_name = "employment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("seekers/", views.seeker_list, name="seekers"),
    path("seekers/new/", views.seeker_new, name="seeker_new"),
    path("seekers/<int:pk>/", views.seeker_detail, name="seeker"),
    path("seekers/<int:pk>/refer/", views.seeker_refer, name="seeker_refer"),
    path(
        "referrals/<int:pk>/outcome/", views.referral_outcome, name="referral_outcome"
    ),
    path("vacancies/", views.vacancy_list, name="vacancies"),
    path("vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("communities/", views.community_list, name="communities"),
]
urlpatterns += [
    path("training/", views.training, name="training"),
    path("training/enrol/", views.training_enrol, name="training_enrol"),
    path(
        "training/providers/new/",
        views.training_provider_new,
        name="training_provider_new",
    ),
    path(
        "training/courses/new/", views.training_course_new, name="training_course_new"
    ),
    path(
        "training/enrolments/<int:pk>/certify/",
        views.enrolment_certify,
        name="enrolment_certify",
    ),
    path("training/courses/<int:pk>/pay/", views.course_pay, name="course_pay"),
    path("subsidies/", views.subsidy_payments, name="subsidy_payments"),
    path("startups/", views.startups, name="startups"),
    path("startups/bases/new/", views.base_new, name="base_new"),
    path("startups/bases/<int:pk>/", views.base_edit, name="base_edit"),
    path("startups/subsidies/new/", views.subsidy_new, name="subsidy_new"),
    path("startups/subsidies/<int:pk>/", views.subsidy_edit, name="subsidy_edit"),
    path("startups/loans/new/", views.loan_new, name="loan_new"),
    path("startups/loans/<int:pk>/", views.loan_detail, name="loan"),
]
