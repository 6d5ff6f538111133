from wagtail import hooks


@hooks.register("lms_demo_data")
def courses_demo_data(say):
    from courses.demo import load_courses_demo

    load_courses_demo(say)
