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
